import { expect } from 'chai';
import type { Touches } from '../../src/query/touches';
import { withTouches } from '../../src/service/statement-runner';

describe('withTouches (the options run() passes down with a statement’s declaration)', () => {
  const touches: Touches = { reads: ['cases'], writes: [], locks: false };

  it('keeps every option the caller gave and adds the declaration', () => {
    expect(withTouches({ prepare: true, createsGuild: true }, touches)).to.deep.equal({ prepare: true, createsGuild: true, touches, cache: false, ownInvalidation: false, upsert: false, rowsAsArrays: false });
    expect(withTouches({ prepare: true, cache: 'guildConfig' }, touches)).to.include({ cache: 'guildConfig' });
    expect(withTouches({ prepare: true, ownInvalidation: true }, touches)).to.include({ ownInvalidation: true });
    expect(withTouches({ prepare: true, rowsAsArrays: true }, touches)).to.include({ rowsAsArrays: true });
    expect(withTouches({ prepare: true }, touches)).to.include({ prepare: true, createsGuild: false, touches });
  });

  it('turns no options into the declaration alone, everything else off', () => {
    expect(withTouches(undefined, touches)).to.deep.equal({ prepare: false, createsGuild: false, touches, cache: false, ownInvalidation: false, upsert: false, rowsAsArrays: false });
  });
});
