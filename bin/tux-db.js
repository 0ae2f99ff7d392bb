#!/usr/bin/env node
// Runs the CLI from the TypeScript sources: ts-node compiles them (decorator metadata included, which
// tsyringe and TypeORM need), with the package's own tsconfig wherever the command is run from.
const path = require('node:path');
require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
require('reflect-metadata');
require('../src/cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
