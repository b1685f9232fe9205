// A reader that stops early (`onboard … | head -2`): the rest of the output is dropped and the command ends as it
// would have, with its own exit code and its progress recorded, not as "done" (0) cut off mid-step.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs, tempConfigDir } from '../helpers/cli.js';
import { BIN } from './built.js';

afterEach(() => removeTempDirs());

function piped(command: string, configDir: string) {
  // bash reports the exit code of onboard, the first command of the pipe
  const run = spawnSync('bash', ['-c', `node ${BIN} ${command} 2>&1 | head -c 40 >/dev/null; echo "code=\${PIPESTATUS[0]}"`], {
    env: { ...process.env, ONBOARD_CONFIG_DIR: configDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return Number(/code=(\d+)/.exec(run.stdout)?.[1]);
}

describe('output closed early', { timeout: 90_000 }, () => {
  it('test-order --timeout 0 keeps its exit code (8: waiting) and records the order; status | head exits 0', () => {
    const dir = tempConfigDir();
    expect(piped('test-order --sandbox --yes --timeout 0', dir)).toBe(8);
    const status = spawnSync('node', [BIN, 'status', '--sandbox', '--json'], { env: { ...process.env, ONBOARD_CONFIG_DIR: dir }, encoding: 'utf8' });
    expect(JSON.parse(status.stdout).orders[0]).toMatchObject({ number: '1001', stage: 'placed' });
    expect(piped('status --sandbox --json', dir)).toBe(0);
  });
});
