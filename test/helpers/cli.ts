// Runs the CLI in-process: `run(argv, { env, io })` with fake streams (PassThrough, `isTTY` per test, all
// false by default), capturing stdout and stderr as text. Each test gets its own temp ONBOARD_CONFIG_DIR
// from `tempConfigDir()`; `removeTempDirs()` (call it in afterEach) deletes them all.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { run } from '../../src/main.js';
import type { IO } from '../../src/ui/io.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as exactly one JSON document (throws when it is not) */
  json<T = any>(): T;
}

export interface CliOptions {
  /** ONBOARD_CONFIG_DIR; a fresh temp dir when omitted */
  configDir?: string;
  /** extra env vars (an `undefined` value removes a default) */
  env?: Record<string, string | undefined>;
  tty?: { stdin?: boolean; stdout?: boolean; stderr?: boolean };
  /** text written to stdin (then ended); by default stdin stays open and empty */
  stdin?: string;
  /** the width of the fake terminals (100 by default) */
  columns?: number;
}

const tempDirs: string[] = [];

export function tempConfigDir(prefix = 'onboard-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  while (tempDirs.length > 0) rmSync(tempDirs.pop() as string, { recursive: true, force: true });
}

type FakeStream = PassThrough & { isTTY?: boolean; columns?: number; rows?: number } & Record<string, unknown>;

/** A PassThrough; as a fake terminal it also has tty.WriteStream's cursor methods (a spinner uses them). */
function fakeStream(isTTY: boolean, columns = 100): FakeStream {
  const stream = new PassThrough() as FakeStream;
  if (isTTY) {
    const done = (callback?: () => void) => {
      callback?.();
      return true;
    };
    Object.assign(stream, {
      isTTY: true,
      columns,
      rows: 40,
      cursorTo: (x: number, _y?: unknown, callback?: () => void) => stream.write(`\x1b[${x + 1}G`, typeof _y === 'function' ? (_y as () => void) : callback),
      moveCursor: (_dx: number, _dy: number, callback?: () => void) => done(callback),
      clearLine: (_dir: number, callback?: () => void) => stream.write('\x1b[2K', callback),
      clearScreenDown: (callback?: () => void) => done(callback),
      getColorDepth: () => 8,
      hasColors: () => true,
      getWindowSize: () => [columns, 40],
    });
  }
  return stream;
}

/** Parses text that must be exactly one JSON document. */
export function parseOneJson<T = any>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`stdout is not exactly one JSON document: ${(error as Error).message}\n--- stdout ---\n${text}`);
  }
}

export async function cli(argv: string[], options: CliOptions = {}): Promise<CliResult> {
  const configDir = options.configDir ?? tempConfigDir();
  const env: NodeJS.ProcessEnv = { ONBOARD_CONFIG_DIR: configDir, PATH: process.env.PATH };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }

  const stdin = fakeStream(options.tty?.stdin ?? false);
  const stdout = fakeStream(options.tty?.stdout ?? false, options.columns);
  const stderr = fakeStream(options.tty?.stderr ?? false, options.columns);
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  if (options.stdin !== undefined) stdin.end(options.stdin);

  const io: IO = { stdin, stdout, stderr };
  let code: number;
  try {
    code = await run(argv, { env, io });
  } finally {
    stdout.end();
    stderr.end();
    if (options.stdin === undefined) stdin.end();
  }
  // let the 'data' handlers drain what was written
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: out, stderr: err, json: <T = any>() => parseOneJson<T>(out) };
}

/** `onboard … --sandbox` in one configuration directory: `const run = sandboxCli(dir); await run('test-order', '--yes')`. */
export function sandboxCli(configDir: string) {
  return (...argv: string[]) => cli([...argv, '--sandbox'], { configDir });
}

/** A profile's sandbox records (state.json) as stored, or no runs when there is none yet. */
export function sandboxState(configDir: string, profile = 'default') {
  const file = join(configDir, 'profiles', profile, 'sandbox', 'state.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { runs: [] };
}
