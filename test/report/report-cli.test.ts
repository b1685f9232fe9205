// `onboard report` through the CLI, in-process against the embedded sandbox: after the wizard, while a run is
// unfinished, as files (0600, --force), the supplier email, --open, and bad input checked before anything happens.
import { chmodSync, cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';

let finished: string; // a config dir after the sandbox wizard ran #1001 to the end
let tracking: string;

beforeAll(async () => {
  finished = tempConfigDir();
  const wizard = await cli(['test-order', '--sandbox', '--yes', '--json'], { configDir: finished });
  expect(wizard.code, wizard.stderr).toBe(0);
  tracking = wizard.json().tracking[0].number;
}, 120_000);
afterAll(() => removeTempDirs());

/** A copy of the finished world, so each test may write files next to it. */
function copyOfFinished(): string {
  const dir = tempConfigDir();
  cpSync(finished, dir, { recursive: true });
  return dir;
}

describe('onboard report after the sandbox wizard', { timeout: 90_000 }, () => {
  it('prints the report: the six stages with evidence, the confirmations, the tracking number and the supplier email', async () => {
    const result = await cli(['report', '1001', '--sandbox'], { configDir: finished });
    expect(result.code, result.stderr).toBe(0);
    const text = result.stdout;
    expect(text).toContain('# Test order #1001: ready to sell');
    for (const title of ['Placed', 'Imported', 'In the dealer portal', 'Authorized', 'Shipped', 'Tracking on the store'])
      expect(text).toContain(`**${title}**`);
    expect(text).toMatch(/portal order \d+/);
    expect(text).toMatch(/fulfillment request \S+/);
    expect(text).toContain(tracking);
    expect(text).toMatch(/tracking link: https:\/\//);
    expect(text).toContain('| Tracking syncs back to the store | yes |');
    expect(text).toContain('## Email to the supplier');
    expect(text).toContain('Subject: Test order #1001');
  });

  it('defaults to the newest run, and shows times local with their zone (TZ)', async () => {
    const result = await cli(['report', '--sandbox'], { configDir: finished, env: { TZ: 'America/Chicago' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('#1001');
    expect(result.stdout).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d CST/);
    expect(result.stdout).not.toMatch(/\d\d:\d\d UTC/);
  });

  it('--format json is the report document; --json prints the same document', async () => {
    const asJson = await cli(['report', '1001', '--sandbox', '--format', 'json'], { configDir: finished });
    expect(asJson.code, asJson.stderr).toBe(0);
    const doc = asJson.json();
    expect(doc.stages.map((s: { key: string }) => s.key)).toEqual(['placed', 'imported', 'in_portal', 'authorized', 'shipped', 'tracking_synced']);
    for (const stage of doc.stages) {
      expect(stage.reached).toBe(true);
      expect(stage.at).toMatch(/Z$/);
      expect(stage.evidence.length).toBeGreaterThan(0);
    }
    expect(doc.confirmed).toEqual({ imported: true, routed: true, trackingSynced: true });
    expect(doc.steps.map((s: { status: string }) => s.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    expect(doc.email.mailto).toMatch(/^mailto:\?subject=Test%20order%20%231001/);
    const flag = await cli(['report', '1001', '--sandbox', '--json'], { configDir: finished });
    expect(flag.json().stages).toEqual(doc.stages);
  });

  it('--email prints the supplier email, plain and ready to paste (and as JSON with --json)', async () => {
    const dir = copyOfFinished();
    // the supplier address `connect flxpoint --supplier-email` stores (on the sandbox it needs a running server)
    writeFileSync(join(dir, 'profiles', 'default', 'sandbox', 'credentials.json'), JSON.stringify({ flxpoint: { supplierEmail: 'orders@supplier.example' } }), {
      mode: 0o600,
    });
    const plain = await cli(['report', '1001', '--sandbox', '--email'], { configDir: dir });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout.split('\n').slice(0, 3)).toEqual(['To: orders@supplier.example', 'Subject: Test order #1001 — please confirm receipt', '']);
    expect(plain.stdout).toContain('Store order number: #1001');
    expect(plain.stdout).not.toContain('\x1b[');
    const json = (await cli(['report', '1001', '--sandbox', '--email', '--json'], { configDir: dir })).json();
    expect(json.to).toBe('orders@supplier.example');
    expect(json.mailto).toMatch(/^mailto:orders@supplier\.example\?subject=/);
    expect(decodeURIComponent(json.mailto.split('body=')[1])).toContain('Store order number: #1001');
  });

  it('--output writes the file 0600; an existing file only with --force (and then 0600 again)', async () => {
    const dir = copyOfFinished();
    const file = join(dir, 'r.html');
    const first = await cli(['report', '1001', '--sandbox', '--format', 'html', '--output', file], { configDir: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Wrote the HTML page to ${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<g class="mark /g)).toHaveLength(6);
    expect(html).toContain(tracking);

    writeFileSync(file, 'mine');
    chmodSync(file, 0o644);
    const refused = await cli(['report', '1001', '--sandbox', '--format', 'html', '--output', file], { configDir: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(file, 'utf8')).toBe('mine');

    const forced = await cli(['report', '1001', '--sandbox', '--format', 'markdown', '--output', file, '--force'], { configDir: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('# Test order #1001');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('--open opens the page with the browser the system names ($BROWSER), else says where the file is', async () => {
    const dir = copyOfFinished();
    const seen = join(dir, 'opened.txt');
    const browser = join(dir, 'browser.sh');
    writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > '${seen}'\n`, { mode: 0o755 });
    const opened = await cli(['report', '--sandbox', '--open'], { configDir: dir, env: { BROWSER: browser } });
    expect(opened.code, opened.stderr).toBe(0);
    for (let i = 0; i < 50 && !existsSync(seen); i++) await new Promise((r) => setTimeout(r, 50));
    const path = readFileSync(seen, 'utf8');
    expect(path).toMatch(/\.html$/);
    expect(readFileSync(path, 'utf8')).toContain('<svg');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(opened.stdout).toContain('Opened it in your browser');

    const headless = await cli(['report', '--sandbox', '--open'], {
      configDir: dir,
      env: { BROWSER: undefined, DISPLAY: undefined, WAYLAND_DISPLAY: undefined },
    });
    expect(headless.code, headless.stderr).toBe(0);
    expect(headless.stdout).toMatch(/No browser can be opened from here; open the file yourself: \/\S+\.html/);

    // a browser command that fails did not open it
    const failing = await cli(['report', '--sandbox', '--open', '--json'], { configDir: dir, env: { BROWSER: 'false' } });
    expect(failing.code, failing.stderr).toBe(0);
    expect(failing.json()).toMatchObject({ opened: false });
  });
});

describe('onboard report while the run is under way', { timeout: 90_000 }, () => {
  it('reports what is known so far: the stages reached, the rest not yet', async () => {
    const dir = tempConfigDir();
    const started = await cli(['test-order', '--sandbox', '--yes', '--timeout', '0', '--json'], { configDir: dir });
    expect(started.code).toBe(8);
    const result = await cli(['report', '--sandbox', '--format', 'json'], { configDir: dir });
    expect(result.code, result.stderr).toBe(0);
    const doc = result.json();
    expect(doc.finished).toBe(false);
    expect(doc.stages[0].reached).toBe(true);
    expect(doc.stages.at(-1).reached).toBe(false);
    expect(doc.stages.at(-1).at).toBeNull();
    const text = await cli(['report', '--sandbox'], { configDir: dir });
    expect(text.stdout).toContain('not finished');
    expect(text.stdout).toMatch(/6\. \*\*Tracking on the store\*\* — not yet/);
    const html = await cli(['report', '--sandbox', '--format', 'html'], { configDir: dir });
    expect(html.stdout.match(/<g class="mark pending"/g)?.length ?? 0).toBeGreaterThan(0);
  });

  it('works with --profile: each profile has its own runs', async () => {
    const dir = tempConfigDir();
    expect((await cli(['test-order', '--sandbox', '--profile', 'acme', '--yes', '--timeout', '0'], { configDir: dir })).code).toBe(8);
    expect((await cli(['report', '--sandbox', '--profile', 'acme'], { configDir: dir })).code).toBe(0);
    const other = await cli(['report', '--sandbox', '--json'], { configDir: dir });
    expect(other.code).toBe(1);
    expect(other.json().error.code).toBe('not_found');
  });
});

describe('onboard report: bad input and nothing to report', { timeout: 90_000 }, () => {
  it('checks every flag first: exit 2 with the accepted forms, nothing written', async () => {
    const dir = copyOfFinished();
    const file = join(dir, 'x.out');
    const cases: [string[], RegExp][] = [
      [['--format', 'pdf', '--output', file], /markdown.*json.*html/],
      [['--open', '--format', 'json'], /--open/],
      [['--email', '--format', 'html', '--output', file], /--email/],
      [['--output', join(dir, 'no-such-folder', 'r.html')], /does not exist/],
      [['10 01', '--output', file], /order reference|portal:ID/],
    ];
    for (const [flags, hint] of cases) {
      const result = await cli(['report', ...flags, '--sandbox', '--json'], { configDir: dir });
      expect(result.code, flags.join(' ')).toBe(2);
      const error = result.json().error;
      expect(`${error.message} ${error.hint}`).toMatch(hint);
      expect(existsSync(file)).toBe(false);
    }
  });

  it('an order that is not tracked is not_found, naming the tracked ones', async () => {
    const result = await cli(['report', '2002', '--sandbox', '--json'], { configDir: finished });
    expect(result.code).toBe(1);
    const error = result.json().error;
    expect(error.code).toBe('not_found');
    expect(error.hint).toContain('#1001');
  });

  it('with no runs says how to start one; with only sandbox runs, how to see them', async () => {
    const empty = await cli(['report', '--json'], { configDir: tempConfigDir() });
    expect(empty.code).toBe(1);
    expect(empty.json().error.next).toEqual(['onboard test-order']);
    const sandboxOnly = await cli(['report', '--json'], { configDir: finished });
    expect(sandboxOnly.code).toBe(1);
    expect(sandboxOnly.json().error.next).toEqual(['onboard report --sandbox']);
  });
});
