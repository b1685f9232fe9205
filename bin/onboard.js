#!/usr/bin/env node
// Thin entry: everything lives in dist/main.js, which loads only the command table up front.
import { run } from '../dist/main.js';

process.exitCode = await run(process.argv.slice(2));
