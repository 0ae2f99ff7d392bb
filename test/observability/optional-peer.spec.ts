import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

// Run in a child process in which @opentelemetry/api cannot be resolved, as for a bot that never installed it.
const SCRIPT = `
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === '@opentelemetry/api') throw Object.assign(new Error("Cannot find module '@opentelemetry/api'"), { code: 'MODULE_NOT_FOUND' });
  return resolve.call(this, request, ...rest);
};
const lib = require('./src/index.ts');
try {
  lib.instrumentOpenTelemetry(new lib.DatabaseService({ url: 'postgres://u@127.0.0.1:1/x' }));
  console.log('no error');
} catch (e) {
  console.log(e.constructor.name + ': ' + e.message);
}
`;

describe('@opentelemetry/api as an optional peer dependency', () => {
  it('lets the package load without it, and instrumentOpenTelemetry say what to install', function () {
    this.timeout(120_000);
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', SCRIPT], { cwd: ROOT, encoding: 'utf8' });
    expect(child.status, child.stderr).to.equal(0);
    expect(child.stdout).to.match(/^DatabaseError: instrumentOpenTelemetry needs @opentelemetry\/api.*npm install @opentelemetry\/api/);
  });
});
