import { expect } from 'chai';
import { columnCoercer, REJECTED } from '../../src/query/coerce-value';
import type { ColumnModel, TableModel } from '../../src/query/table-model';
import { columnReader } from '../../src/repositories/column-reader';

// A property name that would break out of a string literal pasted into source text: it must stay a name.
const HOSTILE = `x"]; globalThis.readerEscaped = true; //'\\\u2028`;

function column(property: string, kind: ColumnModel['kind'], nullable = false): ColumnModel {
  return { property, column: property, quoted: `"${property}"`, kind, nullable, arrayType: `${kind}[]`, hasDefault: false, generated: false, write: { rule: 'free' } } as unknown as ColumnModel;
}

function tableOf(columns: ReadonlyArray<ColumnModel>): TableModel {
  return { entityName: 'Note', table: '"note"', name: 'note', columns: new Map(columns.map((c) => [c.property, c])), requiredOnInsert: [] } as unknown as TableModel;
}

// No class-validator rules: only the columns decide.
class Note {}

function read(model: TableModel, columns: ReadonlyArray<ColumnModel>, rows: ReadonlyArray<unknown>): { ok: boolean; arrays: unknown[][] } {
  const arrays = columns.map(() => new Array<unknown>(rows.length));
  const ok = columnReader(model, columns)(rows, arrays, new Note() as Record<string, unknown>);
  return { ok, arrays };
}

describe('columnReader', () => {
  const id = column('noteId', 'snowflake');
  const body = column('body', 'string', true);
  const model = tableOf([id, body]);

  it('reads rows after the first into their columns, coerced as coerceValue does (a bigint id becomes its digits)', () => {
    const { ok, arrays } = read(model, [id, body], [{}, { noteId: 7n, body: 'a' }, { noteId: '8', body: null }]);
    expect(ok).to.equal(true);
    expect(arrays).to.deep.equal([[undefined, '7', '8'], [undefined, 'a', null]]);
  });

  it('declines a row with another key order, a missing, extra or undefined key, a refused value, or no plain object', () => {
    const good = { noteId: '1', body: 'a' };
    for (const odd of [{ body: 'a', noteId: '1' }, { noteId: '1' }, { ...good, other: 1 }, { ...good, body: undefined }, { ...good, noteId: '0' }, { ...good, body: '\u0000' }, new Note(), null, 5]) {
      expect(read(model, [id, body], [good, good, odd]).ok, JSON.stringify(odd) ?? String(odd)).to.equal(false);
    }
  });

  it('writes a value repeated from the row above at every row, coerced once, and still refuses a bad value after a run of good ones', () => {
    const when = new Date(0);
    const stamp = column('at', 'timestamp');
    const rows = [{}, { noteId: 5n, at: when }, { noteId: 5n, at: when }, { noteId: 5n, at: '1970-01-01T00:00:00Z' }];
    const { ok, arrays } = read(tableOf([id, stamp]), [id, stamp], rows);
    expect(ok).to.equal(true);
    expect(arrays[0]).to.deep.equal([undefined, '5', '5', '5']);
    expect(arrays[1]?.slice(1).map((d) => (d as Date).getTime())).to.deep.equal([0, 0, 0]);
    const good = { noteId: '1', body: 'a' };
    expect(read(model, [id, body], [good, good, good, { noteId: '1', body: '\u0000' }]).ok).to.equal(false);
    // An object is read on every row: one changed in place between rows is judged as it is now.
    const stampModel = tableOf([stamp]);
    const moving = new Date(0);
    const reader = columnReader(stampModel, [stamp]);
    const seen = [new Array<unknown>(3)];
    const changing = [{}, { at: moving }, { get at() { moving.setTime(Number.NaN); return moving; } }];
    expect(reader(changing, seen, new Note() as Record<string, unknown>)).to.equal(false);
  });

  it('declines every row once Object.prototype has an enumerable key, so such rows go row by row', () => {
    const good = { noteId: '1', body: 'a' };
    (Object.prototype as Record<string, unknown>)['polluted'] = 1;
    try {
      expect(read(model, [id, body], [good, good]).ok).to.equal(false);
    } finally {
      delete (Object.prototype as Record<string, unknown>)['polluted'];
    }
    expect(read(model, [id, body], [good, good]).ok).to.equal(true);
  });

  it('takes any property name as data, never as code', () => {
    const hostile = column(HOSTILE, 'string');
    const { ok, arrays } = read(tableOf([hostile, id]), [hostile, id], [{}, { [HOSTILE]: 'kept', noteId: '3' }]);
    expect(ok).to.equal(true);
    expect(arrays).to.deep.equal([[undefined, 'kept'], [undefined, '3']]);
    expect((globalThis as { readerEscaped?: boolean }).readerEscaped).to.equal(undefined);
  });

  it('reads an empty field list (rows with no keys)', () => {
    expect(read(model, [], [{}, {}]).ok).to.equal(true);
    expect(read(model, [], [{}, { body: 'a' }]).ok).to.equal(false);
  });

  it('compiles a field list once: the same columns give the same reader', () => {
    expect(columnReader(model, [id, body])).to.equal(columnReader(model, [id, body]));
    expect(columnReader(model, [body, id])).to.not.equal(columnReader(model, [id, body]));
  });

  it('still reads past the per-table cache of field lists, compiling for the call', () => {
    const many = Array.from({ length: 70 }, (_, i) => column(`f${i}`, 'int'));
    const wide = tableOf(many);
    // 70 distinct one-field lists: the last ones are not kept, and read all the same.
    for (const c of many) expect(read(wide, [c], [{}, { [c.property]: 1 }]).ok, c.property).to.equal(true);
  });
});

describe('columnCoercer', () => {
  it('gives REJECTED where coerceValue throws, and coerceValue’s value elsewhere, for every kind', () => {
    const kinds: ReadonlyArray<[ColumnModel, ReadonlyArray<unknown>, ReadonlyArray<unknown>]> = [
      [column('a', 'snowflake'), ['1', 5n, 9], ['0', -1, 1.5, null, undefined, '01']],
      [column('b', 'string', true), ['x', null], [3, undefined, '\uD800']],
      [column('c', 'timestamp'), [new Date(0), '2024-05-01T12:00:00Z'], ['2024-05-01', new Date(Number.NaN), null]],
      [column('d', 'int'), [0, -3], [1.5, '1', null]],
      [column('e', 'json', true), [{ a: 1 }, null], [Number.NaN, undefined]],
    ];
    for (const [c, accepted, refused] of kinds) {
      const coerce = columnCoercer(tableOf([c]), c);
      for (const v of accepted) expect(coerce(v), `${c.kind} ${String(v)}`).to.not.equal(REJECTED);
      for (const v of refused) expect(coerce(v), `${c.kind} ${String(v)}`).to.equal(REJECTED);
    }
    expect(columnCoercer(tableOf([]), column('a', 'snowflake'))(5n)).to.equal('5');
    expect(columnCoercer(tableOf([]), column('e', 'json'))({ a: 1 })).to.equal('{"a":1}');
  });
});
