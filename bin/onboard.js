#!/usr/bin/env node
// Thin entry, CommonJS on purpose (bin/package.json): `onboard --help` loads dist/main.cjs (the command table
// and commander) and never starts Node's ES module loader; a command's code loads when it runs.
'use strict';
const { run } = require('../dist/main.cjs');

// A reader that stops early (`onboard status | head -1`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
