import { expect } from 'chai';
import { ValidationError } from '../../src/errors/validation-error';
import {
  checkLevelFormula,
  DEFAULT_LEVEL_FORMULA,
  levelFormulaSamples,
  MAX_LEVEL,
  MAX_XP,
  minXpForLevel,
  squareRootLevelFormula,
  tuxLevelFormula,
  type LevelFormula,
} from '../../src/entities/level-formula';

// level = floor(xp / 250) + 1, with no inverse: minXpForLevel must search.
const linearFromOne: LevelFormula = {
  levelSql: (xp) => `floor((${xp}) / 250) + 1`,
  levelFor: (xp) => Math.floor(xp / 250) + 1,
};

describe('level formulas', () => {
  describe('the default formula: Tux\'s calculate_level with its default exponent 2', () => {
    // Tux's own values: its calculate_xp_for_level(L) = 500 · (L / 5) ** 2 puts levels 1, 2, 3, 5, 10 at 20, 80, 180,
    // 500, 2000 XP, and `int((xp / 500) ** (1 / 2) * 5)` (Tux's expression, run in Python 3) gives these levels,
    // including its floating-point quirk at 172,980 XP (20 · 93²), which Tux shows as level 92.
    const TUX: ReadonlyArray<readonly [xp: number, level: number]> = [
      [0, 0], [-5, 0], [19, 0], [19.99, 0], [20, 1], [79, 1], [80, 2], [100, 2], [180, 3], [499, 4], [500, 5], [1000, 7],
      [1999, 9], [2000, 10], [5000, 15], [20000, 31], [123456.7, 78], [172979, 92], [172980, 92], [172981, 93],
    ];

    it('gives the level Tux computes for the same XP', () => {
      expect(TUX.map(([xp]) => DEFAULT_LEVEL_FORMULA.levelFor(xp))).to.deep.equal(TUX.map(([, level]) => level));
    });

    it('is tuxLevelFormula(2), and not this library\'s earlier floor(sqrt(xp / 100))', () => {
      const tux = tuxLevelFormula(2);
      for (const xp of [0, 20, 400, 10_000, 1e9]) expect(DEFAULT_LEVEL_FORMULA.levelFor(xp)).to.equal(tux.levelFor(xp));
      expect(DEFAULT_LEVEL_FORMULA.levelFor(400)).to.not.equal(squareRootLevelFormula(100).levelFor(400));
    });

    it('never decreases as XP grows', () => {
      const samples = levelFormulaSamples().sort((a, b) => a - b);
      for (let i = 1; i < samples.length; i++) {
        expect(DEFAULT_LEVEL_FORMULA.levelFor(samples[i] as number)).to.be.at.least(DEFAULT_LEVEL_FORMULA.levelFor(samples[i - 1] as number));
      }
    });

    it('writes SQL around the given XP expression', () => {
      expect(DEFAULT_LEVEL_FORMULA.levelSql('"xp"')).to.equal('floor(sqrt(GREATEST("xp", 0) / 500::double precision) * 5::double precision)');
    });
  });

  describe('tuxLevelFormula', () => {
    it('takes Tux\'s LEVELS_EXPONENT: int((xp / 500) ** (1 / exponent) * 5)', () => {
      // Python 3: int((2000 / 500) ** (1 / 1.5) * 5) == 12, int((2000 / 500) ** (1 / 3) * 5) == 7
      expect(tuxLevelFormula(1.5).levelFor(2000)).to.equal(12);
      expect(tuxLevelFormula(3).levelFor(2000)).to.equal(7);
      expect(tuxLevelFormula(1.5).levelSql('"xp"')).to.equal(`floor(power(GREATEST("xp", 0) / 500::double precision, ${String(1 / 1.5)}::double precision) * 5::double precision)`);
    });

    it('settles a whole exponent\'s threshold by multiplying it out, not by the root\'s last bit', () => {
      // With exponent 3, level 8 needs 500 · 1.6 · 1.6 · 1.6 = 2048 XP, exactly in doubles too. The root alone decided by
      // its last bit: Math.pow(2048 / 500, 1 / 3) is 1.6 here (level 8), glibc's pow, PostgreSQL's power(), 1.5999999999999999
      // (level 7). Both sides now take level 8 from the threshold.
      const cube = tuxLevelFormula(3);
      expect([cube.levelFor(2047.9), cube.levelFor(2048), cube.levelFor(2049)]).to.deep.equal([7, 8, 8]);
      expect(cube.levelSql('"xp"')).to.match(/^\(SELECT "tux_level"\."l0" \+ CASE WHEN 500::double precision \* /);
    });

    it('caps the XP of an exponent below 1 where the level passes MAX_LEVEL, so MAX_XP does not overflow', () => {
      const steep = tuxLevelFormula(0.01);
      expect(steep.levelFor(MAX_XP)).to.be.at.least(MAX_LEVEL).and.below(Infinity);
      expect(steep.levelSql('"xp"')).to.match(/LEAST\(GREATEST\("xp", 0\) \/ 500::double precision, [0-9.e+]+::double precision\)/);
    });

    it('rejects an exponent that is not a number from 0.01 to 100', () => {
      for (const exponent of [0, -2, Number.NaN, Infinity, 1000]) expect(() => tuxLevelFormula(exponent)).to.throw(ValidationError, /exponent/);
    });
  });

  describe('squareRootLevelFormula', () => {
    it('uses the given base', () => {
      expect(squareRootLevelFormula(500).levelFor(2_000)).to.equal(2);
    });

    it('rejects a base that is not a positive integer', () => {
      for (const base of [0, -1, 1.5, Number.NaN, 1e10]) expect(() => squareRootLevelFormula(base)).to.throw(ValidationError, /base/);
    });
  });

  describe('minXpForLevel', () => {
    it('is the exact inverse of the default formula: 20·L² XP, or one more where Tux\'s rounding lands a level low', () => {
      for (let level = 0; level <= 5_000; level++) {
        const xp = minXpForLevel(DEFAULT_LEVEL_FORMULA, level);
        expect([20 * level * level, 20 * level * level + 1]).to.include(xp);
        expect(DEFAULT_LEVEL_FORMULA.levelFor(xp)).to.equal(level);
        if (xp > 0) expect(DEFAULT_LEVEL_FORMULA.levelFor(xp - 1)).to.equal(level - 1);
      }
      expect(minXpForLevel(DEFAULT_LEVEL_FORMULA, 93)).to.equal(172_981);
    });

    it('searches with levelFor when the formula has no inverse', () => {
      expect(minXpForLevel(linearFromOne, 0)).to.equal(0);
      expect(minXpForLevel(linearFromOne, 1)).to.equal(0);
      expect(minXpForLevel(linearFromOne, 2)).to.equal(250);
      expect(minXpForLevel(linearFromOne, 41)).to.equal(10_000);
    });

    it('ignores an inverse that is off by rounding', () => {
      const sloppy: LevelFormula = { ...DEFAULT_LEVEL_FORMULA, xpForLevel: (level) => 20 * level * level + 1 };
      expect(minXpForLevel(sloppy, 7)).to.equal(980);
    });

    it('rejects a level that is negative, fractional or unreachable within MAX_XP', () => {
      expect(() => minXpForLevel(DEFAULT_LEVEL_FORMULA, -1)).to.throw(ValidationError, /level/);
      expect(() => minXpForLevel(DEFAULT_LEVEL_FORMULA, 2.5)).to.throw(ValidationError, /level/);
      expect(() => minXpForLevel(DEFAULT_LEVEL_FORMULA, DEFAULT_LEVEL_FORMULA.levelFor(MAX_XP) + 1)).to.throw(ValidationError, /level/);
    });
  });

  describe('checkLevelFormula', () => {
    it('accepts the default and a custom formula', () => {
      expect(() => checkLevelFormula(DEFAULT_LEVEL_FORMULA)).to.not.throw();
      expect(() => checkLevelFormula(linearFromOne)).to.not.throw();
    });

    it('rejects a formula without both functions, or whose level for 0 XP is not a whole number ≥ 0', () => {
      expect(() => checkLevelFormula(null)).to.throw(ValidationError, /formula/);
      expect(() => checkLevelFormula({ levelFor: () => 0 })).to.throw(ValidationError, /formula/);
      expect(() => checkLevelFormula({ levelSql: () => '', levelFor: () => 0 })).to.throw(ValidationError, /levelSql/);
      expect(() => checkLevelFormula({ levelSql: () => '0', levelFor: () => -1 })).to.throw(ValidationError, /levelFor/);
      expect(() => checkLevelFormula({ levelSql: () => '0', levelFor: () => 0.5 })).to.throw(ValidationError, /levelFor/);
      expect(() => checkLevelFormula({ levelSql: () => '0', levelFor: () => 0, xpForLevel: 3 })).to.throw(ValidationError, /xpForLevel/);
    });
  });

  describe('levelFormulaSamples', () => {
    it('probes both sides of every level boundary up to level 2000', () => {
      const samples = new Set(levelFormulaSamples());
      for (const level of [1, 17, 93, 2_000]) {
        const xp = minXpForLevel(DEFAULT_LEVEL_FORMULA, level);
        expect(samples.has(xp)).to.equal(true);
        expect(samples.has(xp - 0.5)).to.equal(true);
      }
      expect(Math.max(...samples)).to.be.at.most(MAX_XP);
    });
  });
});
