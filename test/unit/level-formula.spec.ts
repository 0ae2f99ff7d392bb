import { expect } from 'chai';
import { ValidationError } from '../../src/errors/validation-error';
import {
  checkLevelFormula,
  DEFAULT_LEVEL_FORMULA,
  levelFormulaSamples,
  MAX_XP,
  minXpForLevel,
  squareRootLevelFormula,
  type LevelFormula,
} from '../../src/entities/level-formula';

// level = floor(xp / 250) + 1, with no inverse: minXpForLevel must search.
const linearFromOne: LevelFormula = {
  levelSql: (xp) => `floor((${xp}) / 250) + 1`,
  levelFor: (xp) => Math.floor(xp / 250) + 1,
};

describe('level formulas', () => {
  describe('the default formula floor(sqrt(xp / 100))', () => {
    it('gives level L from 100·L² XP', () => {
      const f = DEFAULT_LEVEL_FORMULA;
      expect([0, 99, 100, 399, 400, 899, 900, 10_000].map((xp) => f.levelFor(xp))).to.deep.equal([0, 0, 1, 1, 2, 2, 3, 10]);
    });

    it('never decreases as XP grows', () => {
      const samples = levelFormulaSamples().sort((a, b) => a - b);
      for (let i = 1; i < samples.length; i++) {
        expect(DEFAULT_LEVEL_FORMULA.levelFor(samples[i] as number)).to.be.at.least(DEFAULT_LEVEL_FORMULA.levelFor(samples[i - 1] as number));
      }
    });

    it('writes SQL around the given XP expression', () => {
      expect(DEFAULT_LEVEL_FORMULA.levelSql('"xp"')).to.equal('floor(sqrt(GREATEST("xp", 0) / 100::double precision))');
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
    it('is the exact inverse of the default formula', () => {
      for (let level = 0; level <= 5_000; level++) {
        const xp = minXpForLevel(DEFAULT_LEVEL_FORMULA, level);
        expect(xp).to.equal(100 * level * level);
        expect(DEFAULT_LEVEL_FORMULA.levelFor(xp)).to.equal(level);
        if (xp > 0) expect(DEFAULT_LEVEL_FORMULA.levelFor(xp - 1)).to.equal(level - 1);
      }
    });

    it('searches with levelFor when the formula has no inverse', () => {
      expect(minXpForLevel(linearFromOne, 0)).to.equal(0);
      expect(minXpForLevel(linearFromOne, 1)).to.equal(0);
      expect(minXpForLevel(linearFromOne, 2)).to.equal(250);
      expect(minXpForLevel(linearFromOne, 41)).to.equal(10_000);
    });

    it('ignores an inverse that is off by rounding', () => {
      const sloppy: LevelFormula = { ...DEFAULT_LEVEL_FORMULA, xpForLevel: (level) => 100 * level * level + 1 };
      expect(minXpForLevel(sloppy, 7)).to.equal(4_900);
    });

    it('rejects a level that is negative, fractional or unreachable within MAX_XP', () => {
      expect(() => minXpForLevel(DEFAULT_LEVEL_FORMULA, -1)).to.throw(ValidationError, /level/);
      expect(() => minXpForLevel(DEFAULT_LEVEL_FORMULA, 2.5)).to.throw(ValidationError, /level/);
      expect(() => minXpForLevel(DEFAULT_LEVEL_FORMULA, Math.ceil(Math.sqrt(MAX_XP / 100)) + 1)).to.throw(ValidationError, /level/);
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
      for (const level of [1, 17, 2_000]) {
        const xp = 100 * level * level;
        expect(samples.has(xp)).to.equal(true);
        expect(samples.has(xp - 0.5)).to.equal(true);
      }
      expect(Math.max(...samples)).to.be.at.most(MAX_XP);
    });
  });
});
