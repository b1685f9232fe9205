// commander is CommonJS. Loading it with require() skips the ESM loader's scan of its source for named
// exports, which is a measurable part of `onboard --help` (see scripts/bench.mjs).
import { createRequire } from 'node:module';
import type * as Commander from 'commander';

const load = createRequire(import.meta.url);
const commander = load('commander') as typeof Commander;

export const { Command, Option, CommanderError } = commander;
export type Command = Commander.Command;
export type CommanderError = Commander.CommanderError;
