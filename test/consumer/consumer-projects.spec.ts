import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { runCommand } from '../support/run-command';
import { expectSuccess, packedConsumer, runIn } from '../support/packed-consumer';

// A bot author's view of the package: `npm pack` (of the dist/ that `npm test` has just built), installed into
// a fresh project from the local npm cache (test/support/packed-consumer.ts), then three bot projects beside it (CommonJS with moduleResolution
// node10 and no esModuleInterop, CommonJS node16, ESM nodenext), each strict with exactOptionalPropertyTypes and skipLibCheck false,
// so every published declaration is checked as a consumer's compiler sees it. Each compiles the same bot code
// (the package root and tux-database/testing, sinon stubs) and runs it against the stubs; only the ESM project
// also runs it against a real embedded server, so the whole spec stays around a minute.

/** The guide, CLI and operators' pages the README links to: every docs/*.md of this repository is packed. */
const PACKED_DOCS = readdirSync(path.join(__dirname, '..', '..', 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);

/** One consumer project: how its package.json and tsconfig.json differ. */
interface ConsumerProject {
  readonly name: string;
  readonly type: 'commonjs' | 'module';
  readonly compilerOptions: Readonly<Record<string, string | boolean>>;
  /** Whether its compiled bot also runs against the embedded server. */
  readonly runsDatabase: boolean;
}

const PROJECTS: ReadonlyArray<ConsumerProject> = [
  // node10 is deprecated in TypeScript 6 (still what many bots use); ignoreDeprecations keeps it compiling. Such an old
  // setup often lacks esModuleInterop too: then a default import of a CommonJS package (pg) in a published
  // declaration is an error (TS1192) in the consumer's build.
  {
    name: 'cjs-node10',
    type: 'commonjs',
    compilerOptions: { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0', esModuleInterop: false, allowSyntheticDefaultImports: false },
    runsDatabase: false,
  },
  { name: 'cjs-node16', type: 'commonjs', compilerOptions: { module: 'node16', moduleResolution: 'node16' }, runsDatabase: false },
  { name: 'esm-nodenext', type: 'module', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' }, runsDatabase: true },
];

/** The bot code every project compiles: ids as a bot gets them, options from the environment, a stubbed test. */
const BOT_SOURCE = `import { Case, CaseType, createDatabase, type DatabaseCoordinator, type DatabaseOptions } from 'tux-database';
import { createStubDatabase } from 'tux-database/testing';

/** Options as a bot reads them: url is string | undefined (exactOptionalPropertyTypes must accept it). */
const options: DatabaseOptions = { url: process.env['DATABASE_URL'], dataDir: process.env['TUX_DB_DATA_DIR'] };

/** Bans a member and returns the line the bot posts; ids arrive as bigint, number and string. */
export async function ban(db: DatabaseCoordinator, guildId: string, userId: bigint, reason: string): Promise<string> {
  const c = await db.case.createCase({ caseType: CaseType.BAN, caseUserId: userId, caseModeratorId: 14, guildId, caseReason: reason });
  return \`Case #\${c.caseNumber} BAN <@\${c.caseUserId}>: \${c.caseReason ?? ''}\`;
}

export async function main(): Promise<void> {
  const stub = createStubDatabase();
  stub.case.createCase.resolves(Object.assign(new Case(), { caseNumber: 7, caseUserId: '13', caseReason: 'stubbed' }));
  console.log(\`stub: \${await ban(stub.db, '11', 13n, 'stubbed')}\`);
  if (process.env['CONSUMER_RUN_DATABASE'] === '1') {
    const db = await createDatabase(options);
    try {
      console.log(\`database: \${await ban(db, '1100000000000000001', 1300000000000000001n, 'Spam')}\`);
    } finally {
      await db.close();
    }
  }
}
`;

/**
 * The README's TypeScript examples, as a bot author would paste them: in an ES module as written, in CommonJS with
 * the statements inside an async function (as the README says), the imports kept at the top.
 */
function readmeExamples(type: ConsumerProject['type']): string[] {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks.map((block, i) => {
    const lines = block.split('\n');
    const imports = lines.filter((l) => l.startsWith('import '));
    const body = lines.filter((l) => !l.startsWith('import '));
    if (type === 'module') return `${block}export {};\n`;
    return `${imports.join('\n')}\n\nexport async function readmeExample${i}(): Promise<void> {\n${body.join('\n')}\n}\n`;
  });
}

/** A bot author's mocha test of bot code, on the stub kit: no database. */
const BOT_SPEC = `import { strict as assert } from 'node:assert';
import { Case } from 'tux-database';
import { createStubDatabase } from 'tux-database/testing';
import { ban } from './bot.js';

describe('ban', () => {
  it('posts the line for the case the database numbered', async () => {
    const stub = createStubDatabase();
    stub.case.createCase.resolves(Object.assign(new Case(), { caseNumber: 7, caseUserId: '13', caseReason: 'spam' }));
    assert.equal(await ban(stub.db, '11', 13n, 'spam'), 'Case #7 BAN <@13>: spam');
    assert.equal(stub.case.createCase.callCount, 1);
  });
});
`;

/** The last line of the bot: ESM awaits at top level, CommonJS cannot. */
function entryLine(type: ConsumerProject['type']): string {
  return type === 'module' ? 'await main();\n' : 'main().catch((e: unknown) => {\n  console.error(e);\n  process.exitCode = 1;\n});\n';
}

describe('consumer projects built from the packed tarball', function () {
  this.timeout(300_000);
  let dir = '';

  before(async function () {
    this.timeout(240_000);
    dir = await packedConsumer();
    for (const project of PROJECTS) {
      const home = path.join(dir, project.name);
      await mkdir(home);
      await writeFile(path.join(home, 'package.json'), JSON.stringify({ name: project.name, private: true, type: project.type }, null, 2));
      const compilerOptions = {
        target: 'ES2022',
        ...project.compilerOptions,
        strict: true,
        exactOptionalPropertyTypes: true,
        skipLibCheck: false,
        types: ['node'],
        rootDir: '.',
        outDir: 'dist',
      };
      const examples = readmeExamples(project.type);
      const files = ['bot.ts', 'bot.spec.ts', ...examples.map((_, i) => `readme-${i}.ts`)];
      // The README's injectable class needs decorator metadata, as the README says.
      const withDecorators = { ...compilerOptions, experimentalDecorators: true, emitDecoratorMetadata: true, types: ['node', 'mocha'] };
      await writeFile(path.join(home, 'tsconfig.json'), JSON.stringify({ compilerOptions: withDecorators, files }, null, 2));
      await writeFile(path.join(home, 'bot.ts'), BOT_SOURCE + entryLine(project.type));
      await writeFile(path.join(home, 'bot.spec.ts'), BOT_SPEC);
      for (const [i, example] of examples.entries()) await writeFile(path.join(home, `readme-${i}.ts`), example);
    }
  });

  it('ship every file the installed README, docs and bench results link to', () => {
    const pkg = path.join(dir, 'node_modules', 'tux-database');
    const pages = ['README.md', 'bench/RESULTS.md', ...PACKED_DOCS];
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(path.join(pkg, page), 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
        const file = path.join(path.dirname(page), target.split('#')[0] ?? '');
        if (!existsSync(path.join(pkg, file))) broken.push(`${page}: ${target}`);
      }
    }
    expect(broken).to.deep.equal([]);
  });

  for (const project of PROJECTS) {
    it(`compile the bot, its mocha test and every README example, and run them, in a ${project.name} project${project.runsDatabase ? ', against the embedded server too' : ''}`, async () => {
      const home = path.join(dir, project.name);
      const tsc = await runCommand(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', home], {});
      expectSuccess(`tsc -p ${project.name}`, tsc);
      const env = project.runsDatabase
        ? { CONSUMER_RUN_DATABASE: '1', DATABASE_URL: undefined, TUX_DB_DATA_DIR: path.join(dir, `${project.name}-data`) }
        : { CONSUMER_RUN_DATABASE: undefined };
      const run = await runCommand(process.execPath, [path.join(home, 'dist', 'bot.js')], env, 120_000);
      expectSuccess(`node ${project.name}/dist/bot.js`, run);
      const lines = run.stdout.trim().split('\n');
      expect(lines).to.deep.equal(
        project.runsDatabase ? ['stub: Case #7 BAN <@13>: stubbed', 'database: Case #1 BAN <@1300000000000000001>: Spam'] : ['stub: Case #7 BAN <@13>: stubbed'],
      );
      // From the bot's own directory, so this repository's .mocharc (ts-node, its setup) plays no part.
      const mocha = await runIn(home, process.execPath, [path.join(dir, 'node_modules', 'mocha', 'bin', 'mocha.js'), path.join('dist', 'bot.spec.js')], { CONSUMER_RUN_DATABASE: undefined });
      expectSuccess(`mocha ${project.name}/dist/bot.spec.js`, mocha);
      expect(mocha.stdout).to.match(/1 passing/);
      if (project.runsDatabase) {
        // The README's quick start, compiled as written, on a fresh embedded server.
        const quickStart = await runCommand(process.execPath, [path.join(home, 'dist', 'readme-0.js')], { DATABASE_URL: undefined, TUX_DB_DATA_DIR: path.join(dir, 'readme-data') }, 120_000);
        expectSuccess('the README quick start', quickStart);
        expect(quickStart.stdout.trim()).to.equal('Case #1 recorded');
      }
    });
  }
});
