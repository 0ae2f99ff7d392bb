import { expect } from 'chai';
import { ValidationError } from '../../../src/errors/validation-error';
import { escapeLike } from '../../../src/query/escape-like';

describe('escapeLike', () => {
  it('escapes \\, % and _ so the term matches literally', () => {
    expect(escapeLike('50%_off\\')).to.equal('50\\%\\_off\\\\');
    expect(escapeLike('')).to.equal('');
  });

  it('refuses a term that is not a string with a ValidationError, never a TypeError', () => {
    for (const term of [null, undefined, 5, 10n, Symbol('x'), {}, ['a']]) {
      expect(() => escapeLike(term as never), String(term)).to.throw(ValidationError, /term/);
    }
  });
});
