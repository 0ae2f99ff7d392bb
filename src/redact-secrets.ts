// The one place that knows where a PostgreSQL password can hide: errors, health, the CLI and the printed
// forms of the library's objects all redact through these functions.

/** What a password is replaced with wherever the library prints something. */
export const REDACTED = '***';

type Env = Readonly<Record<string, string | undefined>>;

// Query parameters that carry a password (`password`, and look-alikes such as `sslpassword` or `passwd`).
const SECRET_PARAMETER = /pass/i;
// `password=value` or `password='quoted value'` in a keyword connection string (`host=db password=…`).
const KEYWORD_PASSWORD = /(?:^|\s)password\s*=\s*('(?:[^'\\]|\\.)*'|[^\s']*)/gi;
// The userinfo password of something URL-shaped that `new URL` refused.
const LOOSE_USERINFO = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@]*)@/i;

function decodeOr(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// A password as written and every way a parser may decode it (`+` is a space in a query string only).
function forms(raw: string): string[] {
  return [raw, decodeOr(raw), decodeOr(raw.replace(/\+/g, ' '))];
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * What an operator wrote as the userinfo password (`scheme://user:…@`, up to the first `@`) when a `#`, `/` or `?` in
 * it makes the URL parse otherwise (`postgres://tux:2024#Winter!@db/tux` is host `tux`, port 2024 and a fragment):
 * it is still a secret, and is masked wherever it shows.
 */
function looseUserinfoSecrets(url: string): string[] {
  const loose = LOOSE_USERINFO.exec(url)?.[1];
  return loose === undefined || loose === '' ? [] : forms(loose);
}

/**
 * The URL with every password in it replaced by `***`: the userinfo password and any password query
 * parameter (`?password=…`, which pg reads too), also a password holding `#`, `/` or `?` that made the URL parse
 * otherwise, and any fragment (what follows a `#` in a `?password=` value). Anything that is not a URL (a keyword string such as `host=db password=…`) comes back as
 * `<invalid url>`, never echoed.
 *
 * ```ts
 * redactUrl('postgres://tux:hunter2@db/tux?password=hunter2'); // 'postgres://tux:***@db/tux?password=***'
 * redactUrl('postgres://tux:2024#Winter!@db/tux');             // 'postgres://tux:***@db/tux'
 * ```
 */
export function redactUrl(url: string): string {
  const parsed = parseUrl(url);
  if (parsed === undefined) return '<invalid url>';
  // No password where the operator wrote one: a `#`, `/` or `?` in it moved the rest elsewhere (see looseUserinfoSecrets).
  const misread = parsed.password === '' ? looseUserinfoSecrets(url) : [];
  if (parsed.password) parsed.password = REDACTED;
  for (const key of new Set(parsed.searchParams.keys())) {
    if (SECRET_PARAMETER.test(key)) parsed.searchParams.set(key, REDACTED);
  }
  // No PostgreSQL URL has a fragment: a `#` in a `?password=` value starts one, and the rest of the password is in
  // it. (A misread userinfo password is masked whole below instead.)
  if (parsed.hash && misread.length === 0) parsed.hash = REDACTED;
  return redactSecrets(parsed.toString(), misread);
}

/**
 * Every text in which a password of this connection could appear: the password of `url` (userinfo, query
 * parameter or `password=` keyword), both as written and decoded, and the `PGPASSWORD` of `env`, which pg
 * uses when the URL has none. Longest first, so redactSecrets never leaves part of a longer one behind.
 *
 * ```ts
 * secretsOf('postgres://tux:p%40ss@db/tux', {}); // ['p%40ss', 'p@ss']
 * ```
 */
export function secretsOf(url: string | undefined, env: Env = process.env): string[] {
  const found: string[] = [];
  if (url !== undefined) {
    const parsed = parseUrl(url);
    // Only where the parse found no password: an `@` in a parsed password (the parsers split at the last `@`) would
    // make the loose capture, which stops at the first, a fragment of it that garbles every message.
    if (parsed === undefined || parsed.password === '') found.push(...looseUserinfoSecrets(url));
    if (parsed !== undefined) {
      found.push(...forms(parsed.password));
      // The rest of a `?password=` value that holds a `#` (see redactUrl).
      if (parsed.hash.length > 1) found.push(...forms(parsed.hash.slice(1)));
      // As written in the query string and as pg decodes it.
      for (const pair of parsed.search.slice(1).split('&')) {
        const at = pair.indexOf('=');
        if (at > 0 && SECRET_PARAMETER.test(decodeOr(pair.slice(0, at)))) found.push(...forms(pair.slice(at + 1)));
      }
    } else {
      for (const match of url.matchAll(KEYWORD_PASSWORD)) {
        const value = match[1] ?? '';
        found.push(value, value.startsWith("'") ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value);
      }
    }
  }
  found.push(env['PGPASSWORD'] ?? '');
  return [...new Set(found.filter((s) => s !== '' && s !== REDACTED))].sort((a, b) => b.length - a.length);
}

/**
 * `text` with every one of `secrets` replaced by `***` (see secretsOf): the last guard before something
 * is printed. The schemes `postgres://` and `postgresql://` stay as they are.
 *
 * ```ts
 * redactSecrets(message, secretsOf(process.env.DATABASE_URL));
 * ```
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string>): string {
  // The URL schemes are no secret even when a password spells one ("postgres", as on the embedded server): they
  // are set aside first, so the text still says what it is about.
  const schemes: string[] = [];
  let redacted = text.replace(URL_SCHEMES, (scheme) => `\u0000${schemes.push(scheme) - 1}\u0000`);
  for (const secret of secrets) redacted = redacted.split(secret).join(REDACTED);
  return redacted.replace(/\u0000(\d+)\u0000/g, (_, i: string) => schemes[Number(i)] ?? '');
}

const URL_SCHEMES = /\bpostgres(?:ql)?:\/\//g;
