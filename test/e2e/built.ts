// The built binary: `node bin/onboard.js`, spawned with stdin closed. `ensureBuilt()` runs the build
// (scripts/build.mjs, an esbuild bundle) when dist/ is missing or older than src/ or the build's inputs. Test files run in
// parallel workers, so the check-and-build happens under a lock: a second worker waits and then finds dist/
// fresh, and never rebuilds it while another worker's spawned binaries are reading it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import lockfile from 'proper-lockfile';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'onboard.js');

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => join(e.parentPath, e.name));
}

/** Why dist/ must be rebuilt, or null when dist/main.cjs is at least as new as every src/**.ts and the build's inputs. */
function staleness(): string | null {
  const main = join(ROOT, 'dist', 'main.cjs');
  if (!existsSync(main)) return 'dist/main.cjs is missing';
  const built = statSync(main).mtimeMs;
  const inputs = [...filesUnder(join(ROOT, 'src'), '.ts'), ...['scripts/build.mjs', 'package-lock.json', 'tsconfig.json'].map((f) => join(ROOT, f))];
  const newer = inputs.find((file) => statSync(file).mtimeMs > built);
  return newer ? `dist/main.cjs is older than ${relative(ROOT, newer)}` : null;
}

export async function ensureBuilt(): Promise<void> {
  const lockDir = join(ROOT, '.tmp');
  mkdirSync(lockDir, { recursive: true });
  const release = await lockfile.lock(ROOT, {
    lockfilePath: join(lockDir, 'e2e-build.lock'),
    realpath: false,
    stale: 120_000,
    retries: { retries: 600, minTimeout: 100, maxTimeout: 200 },
  });
  try {
    if (staleness() === null) return;
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (build.status !== 0) throw new Error(`scripts/build.mjs failed (${build.status}):\n${build.stdout}${build.stderr}`);
    const still = staleness();
    if (still) throw new Error(`dist/ is still stale after the build: ${still}`);
  } finally {
    await release();
  }
}

function parseOneJson<T>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`stdout is not exactly one JSON document: ${(error as Error).message}\n--- stdout ---\n${text}`);
  }
}

export interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** real milliseconds from spawn to exit */
  ms: number;
  json<T = any>(): T;
}

/** Spawns `node bin/onboard.js ...argv` with stdin closed (`ignore`), a clean env and a kill timeout. */
export function onboard(argv: string[], options: { configDir: string; env?: Record<string, string>; timeoutMs?: number }): Promise<Spawned> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', ONBOARD_CONFIG_DIR: options.configDir, ...options.env },
      timeout: options.timeoutMs ?? 30_000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolvePromise({ code, signal, stdout, stderr, ms: Date.now() - started, json: <T = any>() => parseOneJson<T>(stdout) });
    });
  });
}
