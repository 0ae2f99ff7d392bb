import path from 'node:path';
import { expect } from 'chai';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** Type-checks `source` (as a file in test/unit) with the project's options plus exactOptionalPropertyTypes, as `tsc --init` sets it. */
function diagnosticsOf(source: string): string[] {
  const file = path.join(ROOT, 'test', 'unit', '__option-types-snippet.ts');
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.Node20,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    strict: true,
    exactOptionalPropertyTypes: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (path.resolve(name) === file ? source : readFile(name));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('option types under exactOptionalPropertyTypes', function () {
  // One small program through the compiler: a few seconds on a slow machine, no database.
  this.timeout(60_000);

  it('accept url: process.env.DATABASE_URL and every other option as possibly undefined', () => {
    const diagnostics = diagnosticsOf(`
      import type { DatabaseOptions } from '../../src/config';
      const env = process.env;
      export const options: DatabaseOptions = {
        url: env['DATABASE_URL'],
        dataDir: env['TUX_DB_DATA_DIR'],
        poolSize: env['POOL'] === undefined ? undefined : Number(env['POOL']),
        migrate: undefined,
        applicationName: env['APP'],
      };
    `);
    expect(diagnostics).to.deep.equal([]);
  });

  it('still refuse a value of the wrong type', () => {
    const diagnostics = diagnosticsOf(`
      import type { DatabaseOptions } from '../../src/config';
      export const options: DatabaseOptions = { poolSize: '10' };
    `);
    expect(diagnostics.join('\n')).to.match(/TS2322: Type 'string' is not assignable to type 'number'/);
  });
});
