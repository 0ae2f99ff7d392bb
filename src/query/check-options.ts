import { ValidationError } from '../errors/validation-error';
import { isPlainObject } from './is-plain-object';

/**
 * Checks an options object before anything runs: it must be a plain object (or undefined, when `optional`)
 * whose keys are all in `allowed`. A misspelt key is refused rather than ignored, because an ignored
 * `{ filter: … }` would silently read or change every row.
 * @throws ValidationError naming the object, or the unknown key with the closest allowed one as a hint.
 *
 * ```ts
 * checkOptions('Case', { filter: {} }, ['filters', 'orderBy'], 'findAll');
 * // ValidationError: Invalid Case: options.filter is not an option of findAll (did you mean "filters"?) …
 * ```
 */
export function checkOptions<K extends string>(
  owner: string,
  options: unknown,
  allowed: ReadonlyArray<K>,
  method: string,
): asserts options is Partial<Record<K, unknown>> {
  if (!isPlainObject(options)) {
    throw ValidationError.forField(owner, 'options', `must be an options object (${method} takes { ${allowed.join(', ')} })`);
  }
  // A loop that allocates nothing for good options: every repository call passes here.
  let unknown: string[] | undefined;
  for (const key of Object.keys(options)) if (!(allowed as ReadonlyArray<string>).includes(key)) (unknown ??= []).push(key);
  if (unknown === undefined) return;
  const errors = unknown.map((key) => {
    const hint = closest(key, allowed);
    return {
      field: `options.${key}`,
      message: `is not an option of ${method}${hint === undefined ? '' : ` (did you mean "${hint}"?)`}; it takes ${allowed.join(', ')}`,
    };
  });
  throw new ValidationError(owner, errors);
}

/** The allowed key nearest to `key` by edit distance, when it is near enough to be a likely typo. */
function closest(key: string, allowed: ReadonlyArray<string>): string | undefined {
  const lower = key.toLowerCase();
  // A shortened name (`isolation` for `isolationLevel`) is as likely a slip as a typo.
  const extended = allowed.find((candidate) => lower.length >= 3 && candidate.toLowerCase().startsWith(lower));
  if (extended !== undefined) return extended;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Levenshtein distance; keys are short, so the plain two-row table is enough. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
