// The completion library loads only for the completion commands: --help and the other commands never load it.
// A resolve hook logs every module the built binary loads.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';
import { BIN, ROOT } from '../e2e/built.js';

afterAll(() => removeTempDirs());

function loaded(argv: string[]): { modules: string[]; stdout: string; status: number | null } {
  const dir = tempConfigDir();
  const log = join(dir, 'modules.log');
  const result = spawnSync(process.execPath, ['--import', join(ROOT, 'test/completion/module-log-register.mjs'), BIN, ...argv], {
    env: { PATH: process.env.PATH, ONBOARD_CONFIG_DIR: dir, ONBOARD_LOADED_LOG: log },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { modules: existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [], stdout: result.stdout, status: result.status };
}

/**
 * The built files that carry the library: the build bundles dependencies, and esbuild marks each bundled
 * module with a `// node_modules/…` path comment.
 */
function libraryFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.js') && readFileSync(path, 'utf8').includes('node_modules/@bomb.sh/tab/')) files.push(path);
    }
  };
  walk(join(ROOT, 'dist'));
  return files;
}

const loadsLibrary = (modules: string[], carriers: string[]) => modules.some((m) => m.includes('@bomb.sh/tab') || carriers.some((file) => m.endsWith(file)));

describe('the completion library', () => {
  const carriers = libraryFiles();

  it('is bundled into a file of its own command', () => {
    expect(carriers.length).toBeGreaterThan(0);
  });

  it('is not loaded by --help or by other commands', () => {
    for (const argv of [['--help'], ['status'], ['report', '--help']]) {
      const run = loaded(argv);
      expect(run.modules.length, argv.join(' ')).toBeGreaterThan(0);
      expect(loadsLibrary(run.modules, carriers), argv.join(' ')).toBe(false);
    }
  });

  it('is loaded by `onboard complete`, which answers in its protocol', () => {
    const run = loaded(['complete', '--', 'rep']);
    expect(run.status).toBe(0);
    expect(loadsLibrary(run.modules, carriers)).toBe(true);
    expect(run.stdout.split('\n')[0]).toMatch(/^report\t/);
  });
});

describe('onboard completion <shell>', () => {
  it('prints a script for bash, zsh and fish that asks `onboard complete`', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const result = await cli(['completion', shell]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('onboard complete --');
    }
    expect((await cli(['completion', 'zsh'])).stdout.split('\n')[0]).toBe('#compdef onboard');
  });

  it('an unknown shell is exit 2 naming the ones it knows', async () => {
    const result = await cli(['completion', 'tcsh', '--json']);
    expect(result.code).toBe(2);
    expect(result.json().error.hint).toContain('onboard completion bash');
  });
});
