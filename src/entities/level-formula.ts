import { ValidationError } from '../errors/validation-error';

/**
 * How a level follows from XP, written twice: in SQL, so every write stores the level in the same
 * statement that changes the XP, and in JavaScript, for display and setLevel. The two must agree on
 * every XP value (check with `LevelsRepository.verifyLevelFormula`).
 *
 * ```ts
 * // level = floor(xp / 1000): a level every 1000 XP
 * const db = await createDatabase({
 *   levelFormula: {
 *     levelSql: (xp) => `floor((${xp}) / 1000)`,
 *     levelFor: (xp) => Math.floor(xp / 1000),
 *     xpForLevel: (level) => level * 1000,
 *   },
 * });
 * ```
 */
export interface LevelFormula {
  /**
   * A SQL expression for the level reached with the `double precision` expression `xpExpr`: a whole,
   * non-negative number (the repository caps it at MAX_LEVEL and casts it to int). Written by the bot
   * author, never built from user input.
   */
  levelSql(xpExpr: string): string;
  /** The same level in JavaScript. */
  levelFor(xp: number): number;
  /** Optional inverse: the least XP that reaches `level`. Without it, setLevel searches with levelFor. */
  xpForLevel?(level: number): number;
}

/** The largest XP a member may hold or gain at once: far beyond any bot, and keeps levels within int. */
export const MAX_XP = 1e15;

/**
 * The smallest non-zero XP a member may hold or gain: PostgreSQL reports an underflow error, where
 * JavaScript silently rounds to 0, when float arithmetic on a tinier value leaves the normal range.
 */
export const MIN_POSITIVE_XP = 1e-6;

/** The highest level setLevel accepts (PostgreSQL int). */
export const MAX_LEVEL = 2_147_483_647;

/**
 * `level = floor(sqrt(xp / base))`: level L needs `base · L²` XP (with base 100: 100, 400, 900, … XP
 * for levels 1, 2, 3). `base` is a positive integer, so SQL and JavaScript do the same IEEE-754
 * division and square root and agree exactly.
 * @throws ValidationError when `base` is not an integer from 1 to 1e9.
 *
 * ```ts
 * const formula = squareRootLevelFormula(100); // use with createDatabase({ levelFormula: formula })
 * formula.levelFor(899); // 2: level 3 needs 900 XP
 * formula.xpForLevel?.(3); // 900
 * ```
 */
export function squareRootLevelFormula(base = 100): LevelFormula {
  if (!Number.isSafeInteger(base) || base < 1 || base > 1e9) {
    throw ValidationError.forField('LevelFormula', 'base', 'must be an integer from 1 to 1000000000');
  }
  return {
    levelSql: (xp) => `floor(sqrt(GREATEST(${xp}, 0) / ${base}::double precision))`,
    levelFor: (xp) => Math.floor(Math.sqrt(Math.max(xp, 0) / base)),
    xpForLevel: (level) => base * level * level,
  };
}

/**
 * Tux's level formula (LevelsService.calculate_level in src/tux/modules/services/levels.py):
 * `level = int((xp / 500) ** (1 / exponent) * 5)`, XP below 0 counted as 0, with Tux's default exponent 2
 * (XP_CONFIG.LEVELS_EXPONENT). With exponent 2 level L needs `500 · (L / 5)²` = 20·L² XP (Tux's
 * calculate_xp_for_level): 20 XP for level 1, 500 for level 5, 2000 for level 10.
 *
 * With exponent 2 both sides take a square root (`sqrt`, correctly rounded in IEEE-754, as are the division and the
 * product by 5), so SQL and JavaScript agree on every XP value, and with Python's `x ** 0.5` (checked on Tux's
 * expression for every whole XP to 3,000,000 and 2,000,000 random XP to 1e12). A whole exponent (1, 3, …) corrects
 * the root's last bit against the level's threshold, so both sides agree on it too (see wholeExponentFormula); any
 * other uses `power()` / `Math.pow`, whose last bit may differ between the server's C library and V8: check it with
 * LevelsRepository.verifyLevelFormula before relying on it. Below exponent 1 the XP is capped where the level
 * passes MAX_LEVEL, so no XP up to MAX_XP overflows.
 * @throws ValidationError when `exponent` is not a finite number from 0.01 to 100 (Tux falls back to 2 for 0).
 *
 * ```ts
 * const db = await createDatabase({ levelFormula: tuxLevelFormula(1.5) }); // Tux with LEVELS_EXPONENT = 1.5
 * ```
 */
export function tuxLevelFormula(exponent = 2): LevelFormula {
  if (typeof exponent !== 'number' || !Number.isFinite(exponent) || exponent < 0.01 || exponent > 100) {
    throw ValidationError.forField('LevelFormula', 'exponent', 'must be a number from 0.01 to 100 (Tux\'s LEVELS_EXPONENT, default 2)');
  }
  const xpForLevel = (level: number): number => 500 * (level / 5) ** exponent;
  if (exponent === 2) {
    return {
      levelSql: (xp) => `floor(sqrt(GREATEST(${xp}, 0) / 500::double precision) * 5::double precision)`,
      levelFor: (xp) => Math.floor(Math.sqrt(Math.max(xp, 0) / 500) * 5),
      xpForLevel,
    };
  }
  // 1 / exponent is computed once here and written as its shortest round-trip text, so both sides raise to the same double.
  const root = String(1 / exponent);
  if (Number.isInteger(exponent)) return wholeExponentFormula(exponent, root, xpForLevel);
  // Below exponent 1 the root is above 1, and XP / 500 raised to it leaves the doubles (power() then fails with
  // "value out of range") well before MAX_XP: the base is capped where the level already passes MAX_LEVEL.
  const cap = exponent < 1 ? String(((MAX_LEVEL + 1) / 5) ** exponent) : undefined;
  const base = (xp: string): string => (cap === undefined ? `GREATEST(${xp}, 0) / 500::double precision` : `LEAST(GREATEST(${xp}, 0) / 500::double precision, ${cap}::double precision)`);
  return {
    levelSql: (xp) => `floor(power(${base(xp)}, ${root}::double precision) * 5::double precision)`,
    levelFor: (xp) => Math.floor(Math.pow(cap === undefined ? Math.max(xp, 0) / 500 : Math.min(Math.max(xp, 0) / 500, Number(cap)), Number(root)) * 5),
    xpForLevel,
  };
}

/**
 * Tux's formula for a whole exponent other than 2 (1, 3, 4, …): `power()` and `Math.pow` may round the root a bit
 * apart, and at XP on a level's threshold (2048 for level 8 with exponent 3) that bit decides the level. So the level
 * from the root, L, is corrected by one step: up when the XP reaches level L + 1, down when it does not reach L,
 * each threshold `500 · (L / 5)^exponent` computed by multiplying in the same order on both sides, where every
 * operation is correctly rounded. SQL and JavaScript then agree on every XP value.
 */
function wholeExponentFormula(exponent: number, root: string, xpForLevel: (level: number) => number): LevelFormula {
  const thresholdSql = (level: string): string => `500::double precision${` * ((${level})::double precision / 5::double precision)`.repeat(exponent)}`;
  const threshold = (level: number): number => {
    let xp = 500;
    for (let i = 0; i < exponent; i++) xp *= level / 5;
    return xp;
  };
  return {
    levelSql: (xp) =>
      `(SELECT "tux_level"."l0" + CASE WHEN ${thresholdSql('"tux_level"."l0" + 1')} <= "tux_level"."x" THEN 1 WHEN ${thresholdSql('"tux_level"."l0"')} > "tux_level"."x" THEN -1 ELSE 0 END ` +
      `FROM (SELECT "tux_xp"."x", floor(power("tux_xp"."x" / 500::double precision, ${root}::double precision) * 5::double precision) AS "l0" FROM (SELECT GREATEST(${xp}, 0) AS "x") AS "tux_xp") AS "tux_level")`,
    levelFor: (xp) => {
      const x = Math.max(xp, 0);
      const l0 = Math.floor(Math.pow(x / 500, Number(root)) * 5);
      return l0 + (threshold(l0 + 1) <= x ? 1 : threshold(l0) > x ? -1 : 0);
    },
    xpForLevel,
  };
}

/**
 * The formula LevelsRepository starts with: Tux's default, `level = floor(5 · sqrt(xp / 500))` (tuxLevelFormula(2)).
 * Others stay one option away: `createDatabase({ levelFormula: squareRootLevelFormula(100) })` is this library's
 * earlier default, `floor(sqrt(xp / 100))`.
 */
export const DEFAULT_LEVEL_FORMULA: LevelFormula = tuxLevelFormula(2);

/**
 * Checks the shape of a formula before it is used.
 * @throws ValidationError when a function is missing or the formula's level for 0 XP is not a whole number ≥ 0.
 */
export function checkLevelFormula(formula: unknown): asserts formula is LevelFormula {
  const f = formula as Partial<Record<keyof LevelFormula, unknown>> | null;
  if (typeof f !== 'object' || f === null || typeof f.levelSql !== 'function' || typeof f.levelFor !== 'function') {
    throw ValidationError.forField('LevelFormula', 'formula', 'must be an object with levelSql(xpExpr) and levelFor(xp) functions');
  }
  if (f.xpForLevel !== undefined && typeof f.xpForLevel !== 'function') {
    throw ValidationError.forField('LevelFormula', 'xpForLevel', 'must be a function when given');
  }
  const sql: unknown = (f.levelSql as (x: string) => unknown)('"xp"');
  if (typeof sql !== 'string' || sql.trim() === '') throw ValidationError.forField('LevelFormula', 'levelSql', 'must return a SQL expression string');
  const zero: unknown = (f.levelFor as (x: number) => unknown)(0);
  if (!isLevel(zero)) throw ValidationError.forField('LevelFormula', 'levelFor', 'must return a whole number ≥ 0 (got ' + String(zero) + ' for 0 XP)');
}

/**
 * The least whole XP whose level is at least `level`: the formula's xpForLevel when it is exact, else a
 * binary search over levelFor (which must never decrease as XP grows).
 * @throws ValidationError when `level` is not a whole number from 0 to MAX_LEVEL, or needs more than MAX_XP.
 */
export function minXpForLevel(formula: LevelFormula, level: number): number {
  if (!Number.isSafeInteger(level) || level < 0 || level > MAX_LEVEL) {
    throw ValidationError.forField('Levels', 'level', `must be a whole number from 0 to ${MAX_LEVEL}`);
  }
  if (formula.levelFor(0) >= level) return 0;
  const hint = formula.xpForLevel?.(level);
  // Trust the inverse only when it is exactly the least XP (rounding in a custom inverse is common).
  if (hint !== undefined && Number.isSafeInteger(hint) && hint > 0 && hint <= MAX_XP && formula.levelFor(hint) >= level && formula.levelFor(hint - 1) < level) {
    return hint;
  }
  let low = 0; // levelFor(low) < level
  let high = 1;
  while (formula.levelFor(high) < level) {
    low = high;
    high *= 2;
    if (high > MAX_XP) {
      if (formula.levelFor(MAX_XP) < level) throw ValidationError.forField('Levels', 'level', `needs more than ${MAX_XP} XP`);
      high = MAX_XP;
    }
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (formula.levelFor(middle) >= level) high = middle;
    else low = middle;
  }
  return high;
}

/** XP values that probe a formula: every whole XP to 10,000, halves, level boundaries and their neighbours, and a geometric sweep to MAX_XP. */
export function levelFormulaSamples(formula: LevelFormula = DEFAULT_LEVEL_FORMULA): number[] {
  const samples = new Set<number>();
  for (let xp = 0; xp <= 10_000; xp++) samples.add(xp);
  for (let xp = 0.5; xp < 2_000; xp += 1) samples.add(xp);
  for (let level = 1; level <= 2_000; level++) {
    let xp: number;
    try {
      xp = minXpForLevel(formula, level);
    } catch {
      break; // a formula whose levels stop below 2,000
    }
    for (const near of [xp - 1, xp - 0.5, nextDown(xp), xp, nextUp(xp), xp + 0.5]) if (near === 0 || near >= MIN_POSITIVE_XP) samples.add(near);
  }
  for (let xp = 1; xp <= MAX_XP; xp *= 1.07) samples.add(xp);
  return [...samples];
}

function isLevel(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

const buffer = new DataView(new ArrayBuffer(8));

function nextUp(x: number): number {
  if (x < MIN_POSITIVE_XP) return x; // no subnormal probes: XP that small is rejected anyway
  buffer.setFloat64(0, x);
  buffer.setBigUint64(0, buffer.getBigUint64(0) + 1n);
  return buffer.getFloat64(0);
}

function nextDown(x: number): number {
  if (x <= MIN_POSITIVE_XP) return 0;
  buffer.setFloat64(0, x);
  buffer.setBigUint64(0, buffer.getBigUint64(0) - 1n);
  return buffer.getFloat64(0);
}
