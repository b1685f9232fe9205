// The process's streams and the two rules scripts rely on (spec §6): when onboard may prompt, and when a
// stream gets colour.
import type { Readable, Writable } from 'node:stream';

export interface OutStream extends Writable {
  isTTY?: boolean;
  columns?: number;
}
export interface InStream extends Readable {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface IO {
  stdin: InStream;
  stdout: OutStream;
  stderr: OutStream;
}

export function systemIO(): IO {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

function truthyEnv(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** Prompts only when stdin and stdout are terminals, CI and ONBOARD_NO_INPUT are off, and neither --no-input nor --json. */
export function isInteractive(io: IO, env: NodeJS.ProcessEnv, flags: { noInput: boolean; json: boolean }): boolean {
  // The flags first: looking at stdin opens it, which a --json or --no-input run need not do.
  return !flags.json && !flags.noInput && !truthyEnv(env.CI) && !truthyEnv(env.ONBOARD_NO_INPUT) && Boolean(io.stdin.isTTY) && Boolean(io.stdout.isTTY);
}

/** Colour per stream, first rule that applies: --json, --no-color, NO_COLOR, FORCE_COLOR, TERM=dumb, then "is a terminal". */
export function colorEnabled(stream: OutStream, env: NodeJS.ProcessEnv, flags: { json: boolean; noColor: boolean }): boolean {
  if (flags.json) return false;
  if (flags.noColor) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR.toLowerCase() !== 'false';
  if (env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}
