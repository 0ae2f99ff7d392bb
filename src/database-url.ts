import { ValidationError } from './errors/validation-error';

/**
 * What is wrong with the %-escapes of a URL `new URL` accepted, or undefined when pg, TypeORM and node-redis can
 * decode every part they decode (user name, password, path): they call decodeURIComponent, whose URIError would
 * otherwise escape at connect. Never echoes the URL, which may hold a password.
 */
export function percentEscapeProblem(url: string, parsed: URL): string | undefined {
  if (/%(?![0-9a-f]{2})/i.test(url)) return 'has a % that starts no escape: write a literal % in a password or name as %25';
  for (const part of [parsed.username, parsed.password, parsed.pathname]) {
    try {
      decodeURIComponent(part);
    } catch {
      return 'has %-escapes that decode to no text (such as %C3 alone, half of a character): write a literal % in a password or name as %25';
    }
  }
  return undefined;
}

/**
 * What is wrong with a PostgreSQL URL, in words that follow its name, or undefined when nothing is: it must be a URL,
 * postgres:// or postgresql://, with no white space around it and escapes pg can decode (percentEscapeProblem).
 * Never echoes the URL.
 */
export function databaseUrlProblem(url: string): string | undefined {
  // The URL parser trims it, pg does not: it then reads a relative URL and connects to a host named "base".
  if (/^\s|\s$/.test(url)) return 'has white space before or after it (a stray space or line end, as from a .env file): remove it';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL (expected postgres://user:password@host:5432/database)';
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') return `must start with postgres:// or postgresql:// (got ${parsed.protocol}//)`;
  return percentEscapeProblem(url, parsed);
}

/**
 * Checks a PostgreSQL URL's shape without ever echoing it (it may hold a password): see databaseUrlProblem.
 * @throws ValidationError about `field` of `owner`.
 *
 * ```ts
 * checkDatabaseUrl('postgres://tux:hunter2@db:5432/tux'); // passes
 * checkDatabaseUrl('postgres://tux:100%@db/tux'); // ValidationError: url has a % that starts no escape: …
 * ```
 */
export function checkDatabaseUrl(url: string, field = 'url', owner = 'DatabaseOptions'): void {
  const problem = databaseUrlProblem(url);
  if (problem !== undefined) throw ValidationError.forField(owner, field, problem);
}
