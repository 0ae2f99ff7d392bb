import { expect } from 'chai';
import { checkOptions } from '../../../src/query/check-options';
import { ValidationError } from '../../../src/errors/validation-error';

describe('checkOptions', () => {
  const allowed = ['filters', 'orderBy', 'limit', 'offset'] as const;

  it('accepts a plain object whose keys are all allowed, and an empty one', () => {
    expect(() => checkOptions('Case', { filters: {}, limit: 1 }, allowed, 'findAll')).not.to.throw();
    expect(() => checkOptions('Case', {}, allowed, 'findAll')).not.to.throw();
  });

  it('refuses a misspelt key with a ValidationError naming it and the likely intended key', () => {
    let caught: unknown;
    try {
      checkOptions('Case', { filter: { guildId: '1' } }, allowed, 'findAll');
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(ValidationError);
    const error = caught as ValidationError;
    expect(error.errors).to.have.length(1);
    expect(error.errors[0]?.field).to.equal('options.filter');
    expect(error.message).to.contain('did you mean "filters"?');
  });

  it('lists every unknown key, with no hint when nothing is close', () => {
    try {
      checkOptions('Case', { where: {}, zzzzzzzzzz: 1 }, allowed, 'count');
      expect.fail('should have thrown');
    } catch (e) {
      expect(e).to.be.instanceOf(ValidationError);
      expect((e as ValidationError).errors.map((f) => f.field)).to.deep.equal(['options.where', 'options.zzzzzzzzzz']);
      expect((e as ValidationError).message).not.to.contain('did you mean "offset"');
    }
  });

  it('refuses null, arrays, strings and class instances as options', () => {
    for (const bad of [null, undefined, [], 'filters', 5, new Date()]) {
      expect(() => checkOptions('Case', bad, allowed, 'findAll'), String(bad)).to.throw(ValidationError, /options object/);
    }
  });
});
