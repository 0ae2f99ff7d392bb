import { expect } from 'chai';
import { entityHydrator } from '../../src/repositories/entity-hydrator';

class Note {
  noteId!: string;
  body!: string | null;
  weird!: unknown;
  describe(): string {
    return `${this.noteId}: ${String(this.body)}`;
  }
}

// A property name that would break out of a string literal pasted into source text: it must stay a name.
const HOSTILE = `x"]; globalThis.hydratorEscaped = true; //'\\\u2028`;

describe('entityHydrator', () => {
  it('copies the listed properties onto a new instance, null included, and leaves helper columns behind', () => {
    const hydrate = entityHydrator(Note, ['noteId', 'body']);
    const row = { noteId: '1', body: null, __total: '9', __created: true };
    const note = hydrate(row);
    expect(note).to.be.instanceOf(Note);
    expect(note.describe()).to.equal('1: null');
    expect({ ...note }).to.deep.equal({ noteId: '1', body: null });
    expect(note, 'a new object, not the row').to.not.equal(row);
    note.noteId = '2';
    expect(row.noteId, 'changing the entity leaves the row alone').to.equal('1');
  });

  it('sets no property the row lacks, as Object.assign would not', () => {
    const note = entityHydrator(Note, ['noteId', 'body'])({ noteId: '1' });
    expect(Object.keys(note)).to.deep.equal(['noteId']);
    expect(note).to.deep.equal(Object.assign(new Note(), { noteId: '1' }));
  });

  it('reads an array row by position, as pg gives it with rowMode array, and leaves values past the properties behind', () => {
    const hydrate = entityHydrator(Note, ['noteId', 'body']);
    const row = ['1', null, '9'];
    const note = hydrate(row);
    expect(note).to.be.instanceOf(Note);
    expect({ ...note }).to.deep.equal({ noteId: '1', body: null });
    expect(note, 'the same instance a keyed row gives').to.deep.equal(hydrate({ noteId: '1', body: null }));
  });

  it('refuses an array row shorter than its properties instead of leaving some unset', () => {
    expect(() => entityHydrator(Note, ['noteId', 'body'])(['1'])).to.throw(RangeError, 'Note: an array row of 1 values for 2 properties');
  });

  it('takes any property name as data, never as code', () => {
    const hydrate = entityHydrator(Note, [HOSTILE, 'noteId']);
    const note = hydrate({ [HOSTILE]: 'kept', noteId: '3' }) as unknown as Record<string, unknown>;
    expect(note[HOSTILE]).to.equal('kept');
    expect(note['noteId']).to.equal('3');
    const fromArray = hydrate(['kept', '3']) as unknown as Record<string, unknown>;
    expect(fromArray[HOSTILE]).to.equal('kept');
    expect(fromArray['noteId']).to.equal('3');
    expect((globalThis as { hydratorEscaped?: boolean }).hydratorEscaped).to.equal(undefined);
  });
});
