// The edges a new user hits outside the run's lifecycle: a missing command, order references of the wrong form,
// the polling floor, a relative configuration directory, a dumb terminal. In-process through run(argv).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';

afterEach(() => removeTempDirs());

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const TTY = { stdin: true, stdout: true, stderr: true };

describe('no command', () => {
  it('`onboard --json` prints the usage error document and exits 2', async () => {
    const result = await cli(['--json']);
    expect(result.code).toBe(2);
    expect(result.json()).toEqual({ error: { code: 'usage', message: 'No command given', hint: 'Run onboard --help for the commands.', next: [] } });
    expect(result.stderr.trim().split('\n')).toEqual(['onboard: no command given']);
  });

  it('`onboard` alone shows the help on stderr and exits 2', async () => {
    const result = await cli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: onboard');
  });
});

describe('order references are checked for form before any request', () => {
  const bad = ['portal:', 'portal:abc', 'portal:0', '0', '-1', '1001.5', '#', '10 01'];
  for (const ref of bad) {
    it(`track ${JSON.stringify(ref)} --sandbox: exit 2 naming the accepted forms, nothing started`, async () => {
      const dir = tempConfigDir();
      const result = await cli(['track', ref, '--sandbox', '--json'], { configDir: dir });
      expect(result.code, result.stdout + result.stderr).toBe(2);
      const error = result.json().error;
      expect(error.code).toBe('bad_input');
      expect(error.message).toContain('is not an order reference');
      expect(error.hint).toContain('portal:ID');
      expect(error.hint).toContain('#1001');
      // the embedded sandbox was never started: no world, no state
      expect(existsSync(join(dir, 'profiles'))).toBe(false);
    });
  }

  it('authorize checks the form before it asks for --yes or reads anything', async () => {
    const dir = tempConfigDir();
    const result = await cli(['authorize', 'portal:abc', '--sandbox'], { configDir: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"portal:abc" is not an order reference (a portal order id is a whole number above 0)');
    expect(existsSync(join(dir, 'profiles'))).toBe(false);
  });

  it('a 5,000-character reference is cut in the message', async () => {
    const long = '1'.repeat(4000) + 'x'.repeat(1000);
    const result = await cli(['track', long, '--sandbox', '--json']);
    expect(result.code).toBe(2);
    const { message } = result.json().error;
    expect(message.length).toBeLessThan(160);
    expect(message).toContain('(5000 characters)');
    expect(result.stderr.length).toBeLessThan(240);
  });

  it('still accepts 1001, #1001, SO-1001 and portal:ID (looked up, not refused)', async () => {
    const dir = tempConfigDir();
    for (const ref of ['1001', '#1001', 'SO-1001', 'portal:310001']) {
      const result = await cli(['track', ref, '--sandbox', '--json'], { configDir: dir });
      expect(result.json().error?.code, ref).not.toBe('bad_input');
    }
  });
});

describe('--poll-interval', () => {
  it('below the 2 s floor says so on stderr and looks every 2 s', async () => {
    const result = await cli(['status', '--sandbox', '--poll-interval', '1s', '--json']);
    expect(result.code).toBe(0);
    expect(result.json()).toHaveProperty('orders');
    expect(result.stderr).toContain('--poll-interval 1s is below the 2 s floor; looking every 2 s instead.');
  });

  it('at or above the floor says nothing', async () => {
    const result = await cli(['status', '--sandbox', '--poll-interval', '2s']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });
});

describe('ONBOARD_CONFIG_DIR', () => {
  it('a relative one is resolved once to an absolute path', async () => {
    const base = mkdtempSync(join(tmpdir(), 'onboard-rel-'));
    try {
      const rel = relative(process.cwd(), join(base, 'cfg'));
      expect(isAbsolute(rel)).toBe(false);
      const result = await cli(['settings', '--path'], { configDir: rel });
      expect(result.stdout.trim()).toBe(join(base, 'cfg'));
      const run = await cli(['test-order', '--sandbox', '--yes', '--json'], { configDir: rel });
      expect(run.code, run.stderr).toBe(0);
      const report = run.json().report;
      expect(isAbsolute(report.markdown)).toBe(true);
      expect(existsSync(report.markdown)).toBe(true);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('TERM=dumb', () => {
  it('no spinner on a terminal that cannot redraw: one line per change', async () => {
    const result = await cli(['test-order', '--sandbox', '--yes'], { tty: TTY, env: { TERM: 'dumb' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(SPINNER);
    expect(result.stderr).not.toContain('\x1b[');
    expect(result.stderr).toContain('… Waiting for the supplier to ship');
  });
});
