#!/usr/bin/env node
// Thin entry: everything lives in dist/main.js, which loads only the command table up front.
import { run } from '../dist/main.js';

// A reader that stops early (`onboard status | head -1`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await run(process.argv.slice(2));
