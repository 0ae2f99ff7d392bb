import { expect } from 'chai';
import { importLines, refusalLines } from '../../src/cli/import-lines';
import { TUX_IMPORT_TABLES, type TuxImportIssue, type TuxImportReport, type TuxImportTable, type TuxTableCounts } from '../../src/import/tux-import-report';

const counts = (inserted: number): Record<TuxImportTable, TuxTableCounts> =>
  Object.fromEntries(TUX_IMPORT_TABLES.map((t) => [t, { source: inserted, inserted, alreadyPresent: 0, skipped: 0, refused: 0 }])) as Record<TuxImportTable, TuxTableCounts>;
const REPORT: TuxImportReport = { dryRun: false, alembicRevision: 'b83284093e38', tables: counts(1), caseCountsRaised: 0, identities: {}, issues: [] };
const UNTYPED: TuxImportIssue = { table: 'cases', key: { id: '16' }, column: 'case_type', problem: 'case_type is NULL', action: 'refuse', resolution: 'set it in Tux' };

describe('importLines', () => {
  it('prints one counts line per imported table, in the order they are written, and the total', () => {
    const { lines, problem } = importLines(REPORT);
    const tableLines = lines.filter((l) => TUX_IMPORT_TABLES.some((t) => l.startsWith(`${t} `)));
    expect(tableLines.map((l) => l.split(/ +/)[0])).to.deep.equal([...TUX_IMPORT_TABLES]);
    expect(lines).to.include(`${TUX_IMPORT_TABLES.length} row(s) inserted; case_count raised in 0 guild(s)`).and.include('No Tux value breaks a rule of this schema.');
    expect(lines.join('\n')).to.not.include('Dry run');
    expect(problem).to.equal(null);
  });

  it('a dry run that found a refused value says nothing was written, names the CLI option, and exits 1', () => {
    const { lines, problem } = importLines({ ...REPORT, dryRun: true, issues: [UNTYPED] });
    expect(lines).to.include('  refuse   cases {"id":"16"} case_type: case_type is NULL → set it in Tux');
    expect(lines).to.include('Dry run: nothing was written (the transaction was rolled back and no sequence moved).');
    expect(lines.join('\n')).to.include('--null-case-type TYPE');
    expect(problem).to.match(/^the import would be refused: 1 value\(s\)/);
  });

  it('a dry run whose values all have a resolution exits 0', () => {
    expect(importLines({ ...REPORT, dryRun: true, issues: [{ ...UNTYPED, action: 'resolve' }] }).problem).to.equal(null);
  });
});

describe('refusalLines', () => {
  it('names every refused value, and the CLI option only for a case with no type', () => {
    const long: TuxImportIssue = { table: 'permission_commands', key: { id: '99' }, column: 'command_name', problem: 'too long', action: 'refuse', resolution: 'shorten it' };
    expect(refusalLines([long])).to.have.length(2);
    const lines = refusalLines([long, UNTYPED]);
    expect(lines[0]).to.match(/^tux-db: import-tux refused 2 Tux value\(s\) .*nothing was written/);
    expect(lines.slice(1, 3)).to.deep.equal(['  refuse   permission_commands {"id":"99"} command_name: too long → shorten it', '  refuse   cases {"id":"16"} case_type: case_type is NULL → set it in Tux']);
    expect(lines[3]).to.include('--null-case-type');
  });
});
