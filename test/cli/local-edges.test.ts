// The edges a new user hits outside the run's lifecycle: a missing command, order references of the wrong form,
// the polling floor, a relative configuration directory, a dumb terminal. In-process through run(argv).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { visibleWidth } from '../../src/ui/wrap.js';
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

describe('a damaged file under the configuration folder is a local fault', () => {
  async function sandboxRun(dir: string) {
    const result = await cli(['test-order', '--sandbox', '--yes', '--timeout', '0', '--json'], { configDir: dir });
    expect(result.code, result.stderr).toBe(8);
  }
  const statePath = (dir: string, ns = 'sandbox', name = 'state') => join(dir, 'profiles', 'default', ns, `${name}.json`);

  it('a corrupt state.json: every command exits 1 with config_error naming the file and the fix; nothing rewrites it', async () => {
    const dir = tempConfigDir();
    await sandboxRun(dir);
    writeFileSync(statePath(dir), 'garbage{{{');
    for (const argv of [['status'], ['sync', '--force'], ['track', '1001'], ['test-order', '--yes']]) {
      const result = await cli([...argv, '--sandbox', '--json'], { configDir: dir });
      expect(result.code, `${argv.join(' ')}: ${result.stdout}`).toBe(1);
      const { error } = result.json();
      expect(error.code, argv.join(' ')).toBe('config_error');
      expect(error.message).toBe(`${statePath(dir)} is damaged: it is not valid JSON`);
      expect(error.hint).toContain('onboard doctor --fix --sandbox');
      expect(error.hint).not.toContain('unexpected');
    }
    // the real namespace's state.json holds the locally recorded settings
    mkdirSync(join(dir, 'profiles', 'default', 'real'), { recursive: true });
    writeFileSync(statePath(dir, 'real'), 'garbage{{{');
    const settings = await cli(['settings', '--json'], { configDir: dir });
    expect(settings.code).toBe(1);
    expect(settings.json().error).toMatchObject({ code: 'config_error', message: `${statePath(dir, 'real')} is damaged: it is not valid JSON` });
    expect(settings.json().error.hint).toContain('onboard doctor --fix');
    expect(settings.json().error.hint).not.toContain('--sandbox');
    const human = await cli(['status', '--sandbox'], { configDir: dir });
    expect(human.stderr).toContain(`✖ ${statePath(dir)} is damaged: it is not valid JSON`);
    expect(human.stderr).not.toContain('Unexpected token');
    expect(readFileSync(statePath(dir), 'utf8')).toBe('garbage{{{');
  });

  it('doctor fails on it with the fix; doctor --fix moves it aside and says where', async () => {
    const dir = tempConfigDir();
    await sandboxRun(dir);
    writeFileSync(statePath(dir), 'garbage{{{');
    const doctor = await cli(['doctor', '--sandbox', '--json'], { configDir: dir });
    expect(doctor.code).toBe(1);
    const failing = doctor.json().checks.filter((c: any) => !c.ok);
    expect(failing).toEqual([
      expect.objectContaining({
        system: 'configuration',
        message: `${statePath(dir)} is damaged: it is not valid JSON`,
        fix: expect.stringContaining('doctor --fix --sandbox'),
      }),
    ]);
    expect(readFileSync(statePath(dir), 'utf8')).toBe('garbage{{{');

    const fixed = await cli(['doctor', '--fix', '--sandbox'], { configDir: dir });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    const moved = readdirSync(join(dir, 'profiles', 'default', 'sandbox')).filter((name) => name.startsWith('state.json.damaged-'));
    expect(moved).toHaveLength(1);
    expect(fixed.stdout).toContain(`moved it aside to ${join(dir, 'profiles', 'default', 'sandbox', moved[0])}`);
    expect(readFileSync(join(dir, 'profiles', 'default', 'sandbox', moved[0]), 'utf8')).toBe('garbage{{{');
    expect((await cli(['status', '--sandbox', '--json'], { configDir: dir })).json()).toEqual({ orders: [] });
  });

  it('a corrupt credentials.json: connect, orders and doctor name it; doctor checks no system through it', async () => {
    const dir = tempConfigDir();
    mkdirSync(join(dir, 'profiles', 'default', 'real'), { recursive: true, mode: 0o700 });
    chmodSync(join(dir, 'profiles'), 0o700);
    chmodSync(join(dir, 'profiles', 'default'), 0o700);
    chmodSync(dir, 0o700);
    writeFileSync(statePath(dir, 'real', 'credentials'), '{"shopify": 42}', { mode: 0o600 });
    for (const argv of [['orders'], ['disconnect', 'shopify'], ['connect', 'inventory-source', '--plan', 'plus']]) {
      const result = await cli([...argv, '--json'], { configDir: dir });
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.json().error).toMatchObject({
        code: 'config_error',
        message: expect.stringContaining(`${statePath(dir, 'real', 'credentials')} is damaged`),
      });
    }
    const doctor = await cli(['doctor', '--json'], { configDir: dir });
    expect(doctor.code).toBe(1);
    expect(doctor.json().checks.filter((c: any) => !c.ok)).toEqual([
      expect.objectContaining({
        system: 'configuration',
        message: expect.stringContaining('credentials.json is damaged'),
        fix: expect.stringContaining('onboard doctor --fix'),
      }),
    ]);
  });

  it('a corrupt sandbox world.json: config_error, and sandbox commands say what to do', async () => {
    const dir = tempConfigDir();
    await sandboxRun(dir);
    writeFileSync(statePath(dir, 'sandbox', 'world'), '{"world": ');
    const result = await cli(['sync', '--sandbox', '--json'], { configDir: dir });
    expect(result.code).toBe(1);
    expect(result.json().error).toMatchObject({ code: 'config_error', message: `${statePath(dir, 'sandbox', 'world')} is damaged: it is not valid JSON` });
    const doctor = await cli(['doctor', '--sandbox', '--json'], { configDir: dir });
    expect(doctor.json().checks.filter((c: any) => !c.ok)).toEqual([expect.objectContaining({ message: expect.stringContaining('world.json is damaged') })]);
  });
});

describe('reading commands never write', () => {
  // (track and orders on the sandbox are left out: each asks the sandbox store for a Shopify access token, which
  // the sandbox world records)
  it('status and settings, on the sandbox and off it, and doctor leave every file as it was', async () => {
    const dir = tempConfigDir();
    const placed = await cli(['test-order', '--sandbox', '--yes', '--timeout', '0'], { configDir: dir });
    expect(placed.code, placed.stderr).toBe(8);
    const snapshot = () =>
      Object.fromEntries(
        readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => {
            const path = join(e.parentPath, e.name);
            return [path, `${statSync(path).mtimeMs} ${readFileSync(path, 'utf8').length}`];
          }),
      );
    const before = snapshot();
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (const argv of [['status', '--sandbox'], ['settings', '--sandbox'], ['settings'], ['status'], ['doctor']]) {
      const result = await cli(argv, { configDir: dir });
      expect([0, 1, 8], `${argv.join(' ')}: ${result.stderr}`).toContain(result.code);
      expect(snapshot(), argv.join(' ')).toEqual(before);
    }
  });
});

describe('orders names a missing secret as the cause', () => {
  it('a WooCommerce store connected through the environment, the variables now unset: names them and how to store them', async () => {
    const dir = tempConfigDir();
    const env = { ONBOARD_WOOCOMMERCE_KEY: 'ck_test', ONBOARD_WOOCOMMERCE_SECRET: 'cs_test' };
    const connect = await cli(['connect', 'woocommerce', '--url', 'https://shop.example.com', '--no-check', '--profile', 'acme'], { configDir: dir, env });
    expect(connect.code, connect.stderr).toBe(0);
    const result = await cli(['orders', '--profile', 'acme', '--json'], { configDir: dir });
    expect(result.code).toBe(2);
    const { error } = result.json();
    expect(error.code).toBe('not_connected');
    expect(error.message).toBe('WooCommerce is connected, but ONBOARD_WOOCOMMERCE_KEY and ONBOARD_WOOCOMMERCE_SECRET are not set and no secret is stored');
    expect(error.message).not.toContain('cannot read');
    expect(error.hint).toContain(
      'printenv ONBOARD_WOOCOMMERCE_KEY ONBOARD_WOOCOMMERCE_SECRET | onboard connect woocommerce --url https://shop.example.com --token-stdin --profile acme',
    );
    expect(error.next).toEqual(['export ONBOARD_WOOCOMMERCE_KEY=…', 'export ONBOARD_WOOCOMMERCE_SECRET=…']);
  });

  it('a BigCommerce store: names ONBOARD_BIGCOMMERCE_TOKEN', async () => {
    const dir = tempConfigDir();
    const connect = await cli(['connect', 'bigcommerce', '--store-hash', 'abc123', '--no-check'], { configDir: dir, env: { ONBOARD_BIGCOMMERCE_TOKEN: 't' } });
    expect(connect.code, connect.stderr).toBe(0);
    const result = await cli(['orders'], { configDir: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('BigCommerce is connected, but ONBOARD_BIGCOMMERCE_TOKEN is not set and no secret is stored');
  });
});

describe('commands printed outside the run carry the invocation', () => {
  it('with --profile and through npx: the way forward of orders and doctor', async () => {
    const env = { npm_command: 'exec' };
    const orders = await cli(['orders', '--profile', 'acme', '--json'], { env });
    expect(orders.json().error.next).toEqual([
      'npx onboard test-order --sandbox --profile acme',
      'npx onboard connect shopify --store NAME.myshopify.com --client-id ID --token-stdin --profile acme',
    ]);
    const doctor = await cli(['doctor', '--profile', 'acme', '--json'], { env });
    expect(doctor.json().checks.find((c: any) => c.message === 'nothing connected').fix).toBe(
      'npx onboard test-order --sandbox --profile acme (no accounts needed), or npx onboard connect SYSTEM --profile acme (SYSTEM: shopify, woocommerce, bigcommerce, flxpoint or inventory-source)',
    );
  });

  it('ONBOARD_PROFILE is not repeated as a flag', async () => {
    const orders = await cli(['orders', '--json'], { env: { ONBOARD_PROFILE: 'acme' } });
    expect(orders.json().error.next).toEqual([
      'onboard test-order --sandbox',
      'onboard connect shopify --store NAME.myshopify.com --client-id ID --token-stdin',
    ]);
  });

  it('--scenario without --sandbox: the hint is the same command with --sandbox', async () => {
    const result = await cli(['track', '1001', '--scenario', 'over-limit', '--profile', 'acme', '--json']);
    expect(result.code).toBe(2);
    expect(result.json().error.hint).toBe('Run: onboard track 1001 --scenario over-limit --profile acme --json --sandbox');
  });

  it('an unknown scenario: the example keeps the profile', async () => {
    const result = await cli(['test-order', '--sandbox', '--scenario', 'nope', '--profile', 'acme', '--json']);
    expect(result.json().error.hint).toBe('For example: onboard test-order --scenario unmapped-shipping --sandbox --profile acme');
  });
});

describe('usage errors point at the help as launched', () => {
  it('through npx: `npx onboard sandbox serve --help`, and the JSON hint too', async () => {
    const env = { npm_command: 'exec' };
    const human = await cli(['sandbox', 'serve', '--bogus'], { env });
    expect(human.code).toBe(2);
    expect(human.stderr).toContain('(run npx onboard sandbox serve --help for usage)');
    const json = await cli(['status', '--bogus', '--json'], { env });
    expect(json.json().error.hint).toBe('Run npx onboard --help for usage.');
    expect((await cli(['--json'], { env })).json().error.hint).toBe('Run npx onboard --help for the commands.');
  });

  it('connect: the examples carry the profile, and --token-stdin on a terminal shows the command that was run', async () => {
    const missing = await cli(['connect', 'shopify', '--profile', 'acme', '--json']);
    expect(missing.json().error.hint).toBe('Example: onboard connect shopify --store NAME.myshopify.com --client-id ID --token-stdin --profile acme');
    const terminal = await cli(['connect', 'shopify', '--store', 'acme.myshopify.com', '--token-stdin', '--profile', 'acme'], { tty: { stdin: true } });
    expect(terminal.code).toBe(2);
    expect(terminal.stderr).toContain('printenv MY_TOKEN | onboard connect shopify --store acme.myshopify.com --token-stdin --profile acme');
  });
});

describe('the narrative at 80 columns', () => {
  it('wraps at word boundaries to the terminal width, and prints the email flush left so it copies clean', async () => {
    const result = await cli(['test-order', '--sandbox', '--yes'], { tty: TTY, columns: 80, env: { TERM: 'dumb' } });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stderr.split('\n');
    // every line fits, but one word longer than the width (the report's path), which is never cut
    for (const line of lines) if (line.trim().includes(' ')) expect(visibleWidth(line), line).toBeLessThanOrEqual(80);
    // a date and its time are never split ("placed 202|6-12-01")
    expect(result.stderr).not.toMatch(/\d{4}-\d\d-\d\d\n/);
    expect(result.stderr).toMatch(/placed\s+2\d{3}-\d\d-\d\d \d\d:\d\d UTC/);
    const start = lines.findIndex((l) => l.includes('email: copy from the next line'));
    const end = lines.findIndex((l) => l.includes('end of email'));
    expect(start).toBeGreaterThan(0);
    const email = lines.slice(start + 1, end);
    expect(email[0]).toBe('To: (the supplier)');
    expect(email[1]).toBe('Subject: Test order #1001 — please confirm receipt');
    expect(email).toContain('  Store order number: #1001');
    expect(email.filter((l) => l.startsWith('    '))).toEqual([]);
  });

  it('off a terminal nothing is wrapped', async () => {
    const result = await cli(['test-order', '--sandbox', '--yes']);
    expect(result.stderr).toMatch(/placed 2\d{3}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(result.stderr.split('\n').some((l) => l.length > 100)).toBe(true);
  });
});
