#!/usr/bin/env node
// Thin entry, CommonJS on purpose (bin/package.json): `onboard [COMMAND] --help` loads dist/help.cjs (the help
// pages, laid out at build time), anything else dist/main.cjs (the command table and commander); neither
// starts Node's ES module loader, and a command's code loads when it runs.
'use strict';

// A reader that stops early (`onboard status | head -1`) is not an error: the rest of the output is dropped and
// the command ends as it would have, with its own exit code (a test order is recorded, not cut off mid-step).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      if (process.exitCode !== undefined) process.exit(process.exitCode);
      return;
    }
    throw error;
  });
}

const argv = process.argv.slice(2);
const last = argv[argv.length - 1];
if ((last === '--help' || last === '-h') && require('../dist/help.cjs')(argv, process.env, process.stdout)) {
  process.exitCode = 0;
} else {
  require('../dist/main.cjs')
    .run(argv)
    .then((code) => {
      process.exitCode = code;
    });
}
