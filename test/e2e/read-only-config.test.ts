// A configuration folder the user may read but not write: reading commands still read it, writing commands
// fail at once naming the path and a fix, and nothing waits on a lock it can never take. Root may write
// anywhere, so the commands run as `nobody` (setpriv); the test is skipped where that cannot be done.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from './built.js';

const NOBODY = 65534;
const asNobody = (args: string[], env: Record<string, string>) =>
  spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, BIN, ...args], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    // the lock's retries used to wait about a minute here
    timeout: 30_000,
  });

function canRunAsNobody(): string | null {
  if (process.getuid?.() !== 0) return 'not root: cannot switch to nobody';
  const probe = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'test', '-r', BIN], { encoding: 'utf8' });
  if (probe.error) return 'setpriv is not available';
  return probe.status === 0 ? null : `nobody cannot read ${BIN}`;
}

const skip = canRunAsNobody();
const root = mkdtempSync(join(tmpdir(), 'onboard-ro-'));
const config = join(root, 'config');

function chownTree(path: string) {
  chownSync(path, NOBODY, NOBODY);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry));
}
function readOnlyTree(path: string) {
  const dir = statSync(path).isDirectory();
  if (dir) for (const entry of readdirSync(path)) readOnlyTree(join(path, entry));
  chmodSync(path, dir ? 0o500 : 0o400);
}

beforeAll(async () => {
  if (skip) return;
  await ensureBuilt();
  chmodSync(root, 0o755);
  const made = spawnSync(process.execPath, [BIN, 'test-order', '--sandbox', '--yes', '--json'], {
    env: { PATH: process.env.PATH, ONBOARD_CONFIG_DIR: config },
    encoding: 'utf8',
  });
  expect(made.status, made.stderr).toBe(0);
  chownTree(config);
  readOnlyTree(config);
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(skip !== null)(`a read-only configuration folder (${skip ?? 'run as nobody'})`, { timeout: 60_000 }, () => {
  it('status --sandbox reads it without writing', () => {
    const result = asNobody(['status', '--sandbox', '--json'], { ONBOARD_CONFIG_DIR: config });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).orders[0].stage).toBe('tracking_synced');
  });

  it('a command that must write fails at once with config_error naming the folder and a fix', () => {
    const result = asNobody(['settings', '--max', '5', '--sandbox', '--json'], { ONBOARD_CONFIG_DIR: config });
    expect(result.error).toBeUndefined(); // not killed by the spawn timeout
    expect(result.status).toBe(1);
    const { error } = JSON.parse(result.stdout);
    expect(error.code).toBe('config_error');
    expect(error.message).toContain(join(config, 'profiles', 'default'));
    expect(error.hint).toMatch(/chmod -R u\+rwX|chown/);
  });
});
