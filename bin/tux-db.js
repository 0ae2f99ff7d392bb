#!/usr/bin/env node
// Runs the CLI from the compiled dist/ (built by `npm run build`, which `npm install` runs through
// `prepare`): no TypeScript is loaded at run time, so `tux-db help` starts about as fast as node itself.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const main = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(main)) {
  console.error(`tux-db: ${path.relative(process.cwd(), main) || main} is missing: run \`npm run build\` in ${path.join(__dirname, '..')} first.`);
  process.exit(1);
}
require('reflect-metadata');
require(main)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
