// Every command, in-process through run(argv, { env, io }), against the embedded sandbox over loopback.
// Each test has its own temp ONBOARD_CONFIG_DIR; nothing is mocked.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir, type CliResult } from '../helpers/cli.js';

afterEach(() => removeTempDirs());

const ANSI = '\x1b[';
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

/** Every file under `dir`, relative paths. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name).slice(dir.length + 1));
}

/** An error under --json: exactly one JSON document `{error: {code, message, hint}}` and a one-line message on stderr. */
function expectJsonError(result: CliResult, code: string, exit = 2) {
  expect(result.code, result.stdout + result.stderr).toBe(exit);
  const doc = result.json();
  expect(Object.keys(doc)).toEqual(['error']);
  expect(doc.error.code).toBe(code);
  expect(typeof doc.error.message).toBe('string');
  expect(doc.error.message.length).toBeGreaterThan(0);
  expect(doc.error).toHaveProperty('hint');
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  return doc.error as { code: string; message: string; hint: string | null; next?: string[] };
}

describe('test-order --sandbox --yes --json', () => {
  it('walks all six steps to tracking_synced; a finished run is never resumed (the next one is #1002)', async () => {
    const dir = tempConfigDir();
    const first = await cli(['test-order', '--sandbox', '--yes', '--json'], { configDir: dir });
    expect(first.code, first.stderr).toBe(0);
    const result = first.json();
    expect(result.stage).toBe('tracking_synced');
    expect(result.lastStage).toBe('tracking_synced');
    expect(result.problem).toBeNull();
    expect(result.problems).toEqual([]);
    expect(result.steps).toHaveLength(6);
    expect(result.steps.map((s: { step: number }) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.steps.map((s: { key: string }) => s.key)).toEqual(['place', 'import', 'portal', 'authorize', 'tracking', 'live']);
    for (const step of result.steps) expect(step.status).toBe('done');
    expect(result.tracking.length).toBeGreaterThan(0);
    expect(result.tracking[0].onChannel).toBe(true);
    expect(typeof result.tracking[0].number).toBe('string');
    expect(result.confirmed).toEqual({ imported: true, routed: true, trackingSynced: true });
    expect(result.order.channel).toBe('shopify');
    expect(result.order.number).toBe('1001');
    expect(result.order.name).toBe('#1001');
    expect(typeof result.order.portalId).toBe('string');
    expect(result.order.total).toMatch(/^\d+\.\d{2}$/);
    expect(result.order.currency).toBe('USD');
    for (const system of ['channel', 'orderManager', 'portal']) expect(result.systems[system].connected).toBe(true);
    expect(Object.keys(result.email).sort()).toEqual(['body', 'subject', 'to']);
    expect(result.email.body).toContain('1001');
    expect(existsSync(result.report.markdown)).toBe(true);
    expect(existsSync(result.report.json)).toBe(true);
    expect(result.report.markdown.startsWith(dir)).toBe(true);
    expect(JSON.parse(readFileSync(result.report.json, 'utf8')).confirmed).toEqual({ imported: true, routed: true, trackingSynced: true });
    // the narrative went to stderr, never stdout
    expect(first.stderr).toContain('Step 1 of 6');

    const second = await cli(['test-order', '--sandbox', '--yes', '--json'], { configDir: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.json().order.number).toBe('1002');
    expect(second.json().stage).toBe('tracking_synced');
    const status = (await cli(['status', '--sandbox', '--json'], { configDir: dir })).json();
    expect(status.orders.map((o: { number: string }) => o.number).sort()).toEqual(['1001', '1002']);
  });

  it('prints the human result on stdout and the narrative on stderr without --json', async () => {
    const result = await cli(['test-order', '--sandbox', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^#1001 · \d+\.\d{2} USD · .+tracking on the store$/);
    expect(result.stdout).not.toContain('Step 1 of 6');
    expect(result.stderr).toContain('Step 6 of 6');
    expect(result.stdout + result.stderr).not.toContain(ANSI);
    // no terminal: no spinner, one line per change of state
    expect(result.stderr).not.toMatch(SPINNER);
    expect(result.stderr.match(/… Waiting for the supplier to ship/g)).toHaveLength(1);
  });
});

describe('the scripted path, one run() per command on one config dir', () => {
  it('test-order --timeout 0 → sync --force → authorize (twice) → track --watch → status', async () => {
    const dir = tempConfigDir();

    const placed = await cli(['test-order', '--sandbox', '--yes', '--timeout', '0', '--json'], { configDir: dir });
    expect(placed.code, placed.stderr).toBe(8);
    expect(placed.json().stage).toBe('placed');
    expect(placed.json().order.number).toBe('1001');
    expect(placed.json().report).toBeNull();

    const synced = await cli(['sync', '--force', '--sandbox', '--json'], { configDir: dir });
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.json().forced).toBe(true);
    expect(synced.json().orders).toHaveLength(1);
    expect(synced.json().orders[0]).toMatchObject({ number: '1001', stage: 'in_portal', problem: null });
    expect(synced.json().errors).toEqual([]);

    const authorized = await cli(['authorize', '1001', '--yes', '--sandbox', '--json'], { configDir: dir });
    expect(authorized.code, authorized.stderr).toBe(0);
    expect(authorized.json()).toMatchObject({ authorized: true, method: 'api', stage: 'authorized', problem: null });
    expect(authorized.json().order.number).toBe('1001');
    expect(authorized.json().evidence.fulfillmentRequests).toHaveLength(1);

    const again = await cli(['authorize', '1001', '--yes', '--sandbox', '--json'], { configDir: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.json().authorized).toBe(true);
    expect(again.json().evidence.fulfillmentRequests).toHaveLength(1);

    const tracked = await cli(['track', '1001', '--watch', '--sandbox', '--json'], { configDir: dir });
    expect(tracked.code, tracked.stderr).toBe(0);
    expect(tracked.json().stage).toBe('tracking_synced');
    expect(tracked.json().tracking[0].onChannel).toBe(true);

    const status = await cli(['status', '--sandbox', '--json'], { configDir: dir });
    expect(status.code).toBe(0);
    expect(status.json().orders).toHaveLength(1);
    expect(status.json().orders[0]).toMatchObject({ number: '1001', stage: 'tracking_synced', problem: null, waitingFor: null, abandoned: false });

    // sandbox and real never mix
    const real = await cli(['status', '--json'], { configDir: dir });
    expect(real.code).toBe(0);
    expect(real.json()).toEqual({ orders: [] });
  });

  it('track without --watch shows an untracked order without recording it', async () => {
    const dir = tempConfigDir();
    expect((await cli(['test-order', '--sandbox', '--yes', '--timeout', '0', '--json'], { configDir: dir })).code).toBe(8);
    const restarted = await cli(['test-order', '--sandbox', '--yes', '--timeout', '0', '--restart', '--json'], { configDir: dir });
    expect(restarted.code).toBe(8);
    expect(restarted.json().order.number).toBe('1002');
    const status = (await cli(['status', '--sandbox', '--json'], { configDir: dir })).json();
    expect(status.orders.map((o: { number: string; abandoned: boolean }) => [o.number, o.abandoned])).toEqual([
      ['1002', false],
      ['1001', true],
    ]);
    const shown = await cli(['track', '#1002', '--sandbox', '--json'], { configDir: dir });
    expect(shown.code).toBe(8);
    expect(shown.json().order.number).toBe('1002');
    const missing = await cli(['track', '9999', '--sandbox', '--json'], { configDir: dir });
    expectJsonError(missing, 'not_found', 1);
  });
});

describe('input needed but not interactive', () => {
  it('test-order --sandbox without --yes exits 2 at once naming --yes, touching nothing', async () => {
    const dir = tempConfigDir();
    const result = await cli(['test-order', '--sandbox'], { configDir: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--yes');
    expect(result.stdout).toBe('');
    expect(filesUnder(dir)).toEqual([]);
  });

  it('with --json: {"error":{"code":"input_required"}} on stdout, touching nothing', async () => {
    const dir = tempConfigDir();
    const result = await cli(['test-order', '--sandbox', '--json'], { configDir: dir });
    const error = expectJsonError(result, 'input_required');
    expect(error.message).toContain('--yes');
    expect(filesUnder(dir)).toEqual([]);
  });

  it.each([
    ['CI=1', { CI: '1' }, []],
    ['CI=true', { CI: 'true' }, []],
    ['ONBOARD_NO_INPUT=1', { ONBOARD_NO_INPUT: '1' }, []],
    ['--no-input', {}, ['--no-input']],
    ['--non-interactive', {}, ['--non-interactive']],
  ] as [string, Record<string, string>, string[]][])('on terminals, %s still exits 2 naming --yes', async (_label, env, flags) => {
    const dir = tempConfigDir();
    const result = await cli(['test-order', '--sandbox', ...flags], { configDir: dir, env, tty: { stdin: true, stdout: true, stderr: true } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--yes');
    expect(filesUnder(dir)).toEqual([]);
  });

  it('authorize --sandbox without --yes exits 2 naming --yes, touching nothing', async () => {
    const dir = tempConfigDir();
    const result = await cli(['authorize', '1001', '--sandbox', '--json'], { configDir: dir });
    const error = expectJsonError(result, 'input_required');
    expect(error.message).toContain('--yes');
    expect(filesUnder(dir)).toEqual([]);
  });
});

describe('settings', () => {
  const BAD_AMOUNTS = ['0', '0.00', '-5', 'abc', '1000001', '1000000.01', '50.123', '$', '1e3', '01', '', ' ', '5,00'];

  it.each(BAD_AMOUNTS.map((a) => [JSON.stringify(a), a]))('--max %s is bad input (exit 2) and changes nothing', async (_label, amount) => {
    const dir = tempConfigDir();
    const known = await cli(['settings', '--no-auto-authorize', '--max', '42', '--json'], { configDir: dir });
    expect(known.code).toBe(0);
    expect(known.json()).toMatchObject({ autoAuthorize: false, maxOrderTotal: '42.00', appliedTo: 'local' });

    const bad = await cli(['settings', '--auto-authorize', '--max', amount, '--json'], { configDir: dir });
    expectJsonError(bad, 'bad_input');

    const after = await cli(['settings', '--json'], { configDir: dir });
    expect(after.code).toBe(0);
    expect(after.json()).toMatchObject({ autoAuthorize: false, maxOrderTotal: '42.00', appliedTo: 'local' });
  });

  it('a bad --max on the sandbox changes nothing on the portal either', async () => {
    const dir = tempConfigDir();
    expect((await cli(['settings', '--sandbox', '--no-auto-authorize', '--max', '42', '--json'], { configDir: dir })).code).toBe(0);
    for (const amount of ['0', '50.123', '1000000.01']) {
      expectJsonError(await cli(['settings', '--sandbox', '--auto-authorize', '--max', amount, '--json'], { configDir: dir }), 'bad_input');
    }
    const after = (await cli(['settings', '--sandbox', '--json'], { configDir: dir })).json();
    expect(after).toMatchObject({ autoAuthorize: false, maxOrderTotal: '42.00', appliedTo: 'portal' });
  });

  it.each([
    ['50', '50.00'],
    ['$49.99', '49.99'],
    [' 7.5 ', '7.50'],
    ['1000000', '1000000.00'],
    ['0.01', '0.01'],
  ])('--max %j is shown back as %s, and stays', async (amount, shown) => {
    const dir = tempConfigDir();
    const set = await cli(['settings', '--auto-authorize', '--max', amount, '--json'], { configDir: dir });
    expect(set.code, set.stdout).toBe(0);
    expect(set.json()).toMatchObject({ autoAuthorize: true, maxOrderTotal: shown, appliedTo: 'local' });
    expect((await cli(['settings', '--json'], { configDir: dir })).json()).toMatchObject({ autoAuthorize: true, maxOrderTotal: shown });
  });

  it('defaults are off with no maximum; --no-max removes it', async () => {
    const dir = tempConfigDir();
    expect((await cli(['settings', '--json'], { configDir: dir })).json()).toMatchObject({ autoAuthorize: false, maxOrderTotal: null, appliedTo: 'local' });
    await cli(['settings', '--auto-authorize', '--max', '20', '--json'], { configDir: dir });
    const removed = await cli(['settings', '--no-max', '--json'], { configDir: dir });
    expect(removed.json()).toMatchObject({ autoAuthorize: true, maxOrderTotal: null });
  });

  it('--auto-authorize with --no-auto-authorize (and --max with --no-max) is exit 2, nothing changed', async () => {
    const dir = tempConfigDir();
    expectJsonError(await cli(['settings', '--auto-authorize', '--no-auto-authorize', '--json'], { configDir: dir }), 'usage');
    expectJsonError(await cli(['settings', '--max', '5', '--no-max', '--json'], { configDir: dir }), 'usage');
    const plain = await cli(['settings', '--auto-authorize', '--no-auto-authorize'], { configDir: dir });
    expect(plain.code).toBe(2);
    expect(plain.stdout).toBe('');
    expect(filesUnder(dir)).toEqual([]);
  });

  it('applies to the portal on the sandbox, locally otherwise (with the clicks), and the two never mix', async () => {
    const dir = tempConfigDir();
    const portal = await cli(['settings', '--sandbox', '--auto-authorize', '--max', '20', '--json'], { configDir: dir });
    expect(portal.code).toBe(0);
    expect(portal.json()).toMatchObject({ autoAuthorize: true, maxOrderTotal: '20.00', appliedTo: 'portal' });
    expect((await cli(['settings', '--sandbox', '--json'], { configDir: dir })).json()).toMatchObject({
      autoAuthorize: true,
      maxOrderTotal: '20.00',
      appliedTo: 'portal',
    });

    const local = await cli(['settings', '--json'], { configDir: dir });
    expect(local.json()).toMatchObject({ autoAuthorize: false, maxOrderTotal: null, appliedTo: 'local' });
    const setLocal = await cli(['settings', '--auto-authorize', '--max', '20', '--json'], { configDir: dir });
    expect(setLocal.json()).toMatchObject({ autoAuthorize: true, maxOrderTotal: '20.00', appliedTo: 'local' });
    expect(setLocal.json().clicks.join('\n')).toContain('20.00');
  });

  it('--path prints the configuration directory', async () => {
    const dir = tempConfigDir();
    const json = await cli(['settings', '--path', '--json'], { configDir: dir });
    expect(json.code).toBe(0);
    expect(json.json()).toEqual({ path: dir });
    const human = await cli(['settings', '--path'], { configDir: dir });
    expect(human.code).toBe(0);
    expect(human.stdout).toBe(`${dir}\n`);
  });
});

describe('--json prints exactly one JSON document, errors included', () => {
  it('a missing argument: track without <order>', async () => {
    const dir = tempConfigDir();
    expectJsonError(await cli(['track', '--json'], { configDir: dir }), 'usage');
    expectJsonError(await cli(['authorize', '--sandbox', '--json'], { configDir: dir }), 'usage');
    expect(filesUnder(dir)).toEqual([]);
  });

  it('an unknown option, global or on a command', async () => {
    const dir = tempConfigDir();
    expect(expectJsonError(await cli(['--bogus', '--json'], { configDir: dir }), 'usage').message).toContain('--bogus');
    expect(expectJsonError(await cli(['status', '--bogus', '--json'], { configDir: dir }), 'usage').message).toContain('--bogus');
    expect(filesUnder(dir)).toEqual([]);
  });

  it('an unknown command', async () => {
    expectJsonError(await cli(['frobnicate', '--json']), 'usage');
  });

  it('a bad DURATION: --timeout 5x, --poll-interval 0, --authorize-within 1y (nothing touched)', async () => {
    const dir = tempConfigDir();
    expect(expectJsonError(await cli(['test-order', '--sandbox', '--yes', '--timeout', '5x', '--json'], { configDir: dir }), 'bad_input').message).toContain(
      '--timeout',
    );
    expectJsonError(await cli(['track', '1001', '--sandbox', '--watch', '--poll-interval', '0', '--json'], { configDir: dir }), 'usage');
    expectJsonError(await cli(['status', '--timeout', '1.5h', '--json'], { configDir: dir }), 'bad_input');
    expectJsonError(await cli(['test-order', '--sandbox', '--yes', '--authorize-within', '1y', '--json'], { configDir: dir }), 'bad_input');
    expect(filesUnder(dir)).toEqual([]);
  });

  it('an unknown scenario is exit 2 and the error lists the scenario names', async () => {
    const dir = tempConfigDir();
    const error = expectJsonError(await cli(['test-order', '--sandbox', '--scenario', 'nope', '--yes', '--json'], { configDir: dir }), 'usage');
    // NOTE: the names are in error.hint, not error.message (see report); the document as a whole lists them.
    const text = `${error.message} ${error.hint}`;
    for (const name of ['happy', 'unmapped-shipping', 'missing-phone', 'over-limit', 'payment-declined', 'tracking-sync-error', 'slow-supplier']) {
      expect(text).toContain(name);
    }
    expect(filesUnder(dir)).toEqual([]);
  });

  it('--scenario without --sandbox is exit 2', async () => {
    const dir = tempConfigDir();
    const error = expectJsonError(await cli(['test-order', '--scenario', 'happy', '--yes', '--json'], { configDir: dir }), 'usage');
    expect(error.message).toContain('--sandbox');
    expect(filesUnder(dir)).toEqual([]);
  });

  it('a reading command prints its result as one document', async () => {
    const dir = tempConfigDir();
    for (const argv of [
      ['status', '--json'],
      ['settings', '--json'],
      ['status', '--sandbox', '--json'],
      ['sync', '--sandbox', '--json'],
    ]) {
      const result = await cli(argv, { configDir: dir });
      expect(result.code, argv.join(' ')).toBe(0);
      expect(() => result.json()).not.toThrow();
    }
    expect((await cli(['sync', '--sandbox', '--json'], { configDir: dir })).json()).toMatchObject({ orders: [], forced: false, errors: [] });
  });
});

describe('nothing connected, no --sandbox', () => {
  it.each([
    ['sync', ['sync', '--json']],
    ['track', ['track', '1001', '--json']],
    ['authorize', ['authorize', '1001', '--json']],
  ])('%s exits 2 with not_connected and the way forward', async (_name, argv) => {
    const dir = tempConfigDir();
    const error = expectJsonError(await cli(argv, { configDir: dir }), 'not_connected');
    expect(JSON.stringify(error)).toContain('--sandbox');
  });

  // Was a bug at be51e92: `test-order --yes --json` with nothing connected exited 2 with error.code "usage"
  // ("No sales channel is connected", hint null, next []) and printed the "Step 1 of 6" heading on stderr first.
  // Fixed in the working tree (requireConnections in core/services/test-order.ts).
  it('test-order --yes exits 2 with not_connected and the way forward', async () => {
    const dir = tempConfigDir();
    const error = expectJsonError(await cli(['test-order', '--yes', '--json'], { configDir: dir }), 'not_connected');
    expect(JSON.stringify(error)).toContain('--sandbox');
  });

  // Was a bug at be51e92: `test-order --yes` with nothing connected recorded a new run in real/state.json before
  // failing, so a later `status --json` listed a phantom order (number null, waitingFor "order"). Fixed with the above.
  it('test-order --yes records nothing when it cannot start', async () => {
    const dir = tempConfigDir();
    expect((await cli(['test-order', '--yes', '--json'], { configDir: dir })).code).toBe(2);
    expect(filesUnder(dir)).toEqual([]);
    expect((await cli(['status', '--json'], { configDir: dir })).json()).toEqual({ orders: [] });
  });

  it('status exits 0 with an empty list', async () => {
    const result = await cli(['status', '--json']);
    expect(result.code).toBe(0);
    expect(result.json()).toEqual({ orders: [] });
    const human = await cli(['status']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('No tracked orders');
  });
});

describe('profiles', () => {
  it('a sandbox order in one profile does not show in another; ONBOARD_PROFILE applies without the flag, and the flag wins', async () => {
    const dir = tempConfigDir();
    const placed = await cli(['test-order', '--sandbox', '--yes', '--timeout', '0', '--profile', 'a', '--json'], { configDir: dir });
    expect(placed.code, placed.stderr).toBe(8);
    expect(existsSync(join(dir, 'profiles', 'a', 'sandbox', 'state.json'))).toBe(true);

    expect((await cli(['status', '--sandbox', '--profile', 'b', '--json'], { configDir: dir })).json()).toEqual({ orders: [] });
    expect((await cli(['status', '--sandbox', '--json'], { configDir: dir })).json()).toEqual({ orders: [] });

    const byEnv = await cli(['status', '--sandbox', '--json'], { configDir: dir, env: { ONBOARD_PROFILE: 'a' } });
    expect(byEnv.json().orders.map((o: { number: string }) => o.number)).toEqual(['1001']);

    const flagWins = await cli(['status', '--sandbox', '--profile', 'b', '--json'], { configDir: dir, env: { ONBOARD_PROFILE: 'a' } });
    expect(flagWins.json()).toEqual({ orders: [] });

    // each profile has its own world: profile b's first order is #1001 too
    const other = await cli(['test-order', '--sandbox', '--yes', '--timeout', '0', '--json'], { configDir: dir, env: { ONBOARD_PROFILE: 'b' } });
    expect(other.json().order.number).toBe('1001');
  });

  it.each(['../x', '.hidden', 'a/b', ''])('--profile %j is exit 2 and creates nothing', async (name) => {
    const dir = tempConfigDir();
    expectJsonError(await cli(['status', '--profile', name, '--json'], { configDir: dir }), 'bad_input');
    expect(existsSync(join(dir, 'x'))).toBe(false);
    expect(filesUnder(dir)).toEqual([]);
  });

  it('a bad ONBOARD_PROFILE is exit 2 as well', async () => {
    expectJsonError(await cli(['status', '--json'], { env: { ONBOARD_PROFILE: '../x' } }), 'bad_input');
  });
});

describe('colour, per stream', () => {
  const TTY = { stdin: false, stdout: true, stderr: true };

  it('a finished run: track shows a styled result on a terminal; NO_COLOR, --no-color and --json turn it off', async () => {
    const dir = tempConfigDir();
    expect((await cli(['test-order', '--sandbox', '--yes', '--json'], { configDir: dir })).code).toBe(0);

    const coloured = await cli(['track', '1001', '--sandbox'], { configDir: dir, tty: TTY });
    expect(coloured.code).toBe(0);
    expect(coloured.stdout).toContain('\x1b[32mtracking on the store\x1b[39m');

    const noColor = await cli(['track', '1001', '--sandbox'], { configDir: dir, tty: TTY, env: { NO_COLOR: '1' } });
    expect(noColor.code).toBe(0);
    expect(noColor.stdout).toContain('tracking on the store');
    expect(noColor.stdout + noColor.stderr).not.toContain(ANSI);

    const flag = await cli(['track', '1001', '--sandbox', '--no-color'], { configDir: dir, tty: TTY });
    expect(flag.stdout).toContain('tracking on the store');
    expect(flag.stdout + flag.stderr).not.toContain(ANSI);

    const json = await cli(['track', '1001', '--sandbox', '--json'], { configDir: dir, tty: TTY });
    expect(json.json().stage).toBe('tracking_synced');
    expect(json.stdout + json.stderr).not.toContain(ANSI);

    // an empty NO_COLOR does not count
    const emptyNoColor = await cli(['track', '1001', '--sandbox'], { configDir: dir, tty: TTY, env: { NO_COLOR: '' } });
    expect(emptyNoColor.stdout).toContain(ANSI);
  });

  it('the wizard on terminals: styled result on stdout, styled narrative (and a spinner) on stderr', async () => {
    const result = await cli(['test-order', '--sandbox', '--yes'], { tty: { stdin: false, stdout: true, stderr: true } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('\x1b[32mtracking on the store\x1b[39m');
    expect(result.stderr).toContain('\x1b[1mStep 1 of 6');
    expect(result.stderr).toMatch(SPINNER);
  });

  it('--json on terminals: no colour and no spinner, the narrative one line per change of state', async () => {
    const result = await cli(['test-order', '--sandbox', '--yes', '--json'], { tty: { stdin: false, stdout: true, stderr: true } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().stage).toBe('tracking_synced');
    expect(result.stdout + result.stderr).not.toContain(ANSI);
    expect(result.stderr).not.toMatch(SPINNER);
    expect(result.stderr).toContain('… Waiting for the supplier to ship');
  });

  it('FORCE_COLOR turns it on off a terminal; FORCE_COLOR=0 and TERM=dumb turn it off on one', async () => {
    const dir = tempConfigDir();
    expect((await cli(['settings'], { configDir: dir, env: { FORCE_COLOR: '1' } })).stdout).toContain(ANSI);
    expect((await cli(['settings'], { configDir: dir })).stdout).not.toContain(ANSI);
    expect((await cli(['settings'], { configDir: dir, tty: TTY })).stdout).toContain(ANSI);
    expect((await cli(['settings'], { configDir: dir, tty: TTY, env: { FORCE_COLOR: '0' } })).stdout).not.toContain(ANSI);
    expect((await cli(['settings'], { configDir: dir, tty: TTY, env: { TERM: 'dumb' } })).stdout).not.toContain(ANSI);
    // NO_COLOR comes before FORCE_COLOR, --no-color before both
    expect((await cli(['settings'], { configDir: dir, tty: TTY, env: { NO_COLOR: '1', FORCE_COLOR: '1' } })).stdout).not.toContain(ANSI);
    expect((await cli(['settings', '--no-color'], { configDir: dir, env: { FORCE_COLOR: '1' } })).stdout).not.toContain(ANSI);
  });

  it('is decided per stream: an error on a terminal stderr is styled while stdout is not a terminal, and vice versa', async () => {
    const dir = tempConfigDir();
    const errOnly = await cli(['settings', '--max', 'abc'], { configDir: dir, tty: { stderr: true } });
    expect(errOnly.code).toBe(2);
    expect(errOnly.stderr).toContain(ANSI);

    const outOnly = await cli(['settings', '--max', 'abc'], { configDir: dir, tty: { stdout: true } });
    expect(outOnly.code).toBe(2);
    expect(outOnly.stderr).toContain('abc');
    expect(outOnly.stderr).not.toContain(ANSI);
    const shown = await cli(['settings'], { configDir: dir, tty: { stdout: true } });
    expect(shown.stdout).toContain(ANSI);
  });
});

describe('concurrent wizards on one profile', () => {
  // BUG: concurrent `test-order --sandbox --yes --timeout 0` runs on one fresh profile all resume the same run
  // (good: one run, every process reports #1001), but each process that finds the run still without an order
  // places another customer order on the sandbox store (placeOrFind is not guarded by the run's state under the
  // lock), so the world ends up with #1001..#1003 and the next run gets #1003 or #1004 instead of #1002.
  // Reproduced 6/6 in-process with three runs, and with six spawned binaries (`test-order --sandbox --yes
  // --timeout 0 &` x6 → world orders 1001..1006, one run).
  it('place exactly one store order between them', async () => {
    for (let trial = 0; trial < 3; trial++) {
      const dir = tempConfigDir();
      const results = await Promise.all([1, 2, 3].map(() => cli(['test-order', '--sandbox', '--yes', '--timeout', '0', '--json'], { configDir: dir })));
      for (const result of results) {
        expect(result.code, result.stdout).toBe(8);
        expect(result.json().order.number).toBe('1001');
      }
      const runIds = new Set(results.map((r) => r.json().runId));
      expect(runIds.size).toBe(1);
      expect((await cli(['status', '--sandbox', '--json'], { configDir: dir })).json().orders).toHaveLength(1);
      // the store's next order number tells how many the customer placed
      const next = await cli(['test-order', '--sandbox', '--yes', '--timeout', '0', '--restart', '--json'], { configDir: dir });
      expect(next.json().order.number).toBe('1002');
    }
  });
});
