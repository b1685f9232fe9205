// The test-order run at its edges (issue: what a new user hit): the run's lifecycle across commands, flags
// validated before any run is started or abandoned, printed commands that work when pasted, steps that agree
// with the stage, the supplier email following the authorization, local times, and waits that say who acts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, sandboxCli, sandboxState, tempConfigDir } from '../helpers/cli.js';

afterEach(() => removeTempDirs());

describe("the run's lifecycle", { timeout: 90_000 }, () => {
  it("the README's scripted path ends with step 6 done and a report, and the next test-order says a new run begins", async () => {
    const dir = tempConfigDir();
    const run = sandboxCli(dir);
    const started = await run('test-order', '--yes', '--timeout', '0', '--json');
    expect(started.code).toBe(8);
    // the resume line is the command as typed: --yes (pasted without a terminal it would otherwise stop at the
    // question) and --timeout 0 (else it would wait) stay
    expect(started.stderr.replace(/\s+/g, ' ')).toContain('Run onboard test-order --yes --timeout 0 --json --sandbox again to resume.');
    expect((await run('sync', '--force', '--json')).json().orders[0].stage).toBe('in_portal');
    expect((await run('authorize', '1001', '--yes', '--json')).json().stage).toBe('authorized');
    const tracked = await run('track', '1001', '--watch', '--json');
    expect(tracked.code, tracked.stderr).toBe(0);
    const doc = tracked.json();
    expect(doc.stage).toBe('tracking_synced');
    expect(doc.steps.map((s: { status: string }) => s.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    expect(doc.report).not.toBeNull();
    expect(existsSync(doc.report.markdown)).toBe(true);
    expect(readFileSync(doc.report.markdown, 'utf8')).toContain('ready to sell');
    expect(tracked.stderr).toContain('You can start selling');

    // the report is written once: a later look leaves it as it was
    const again = await run('track', '1001', '--json');
    expect(again.json().report).toEqual(doc.report);
    expect(sandboxState(dir).runs[0].events.filter((e: { kind: string }) => e.kind === 'finished')).toHaveLength(1);

    const next = await run('test-order', '--yes', '--timeout', '0', '--json');
    expect(next.json().order.number).toBe('1002');
    expect(next.stderr).toMatch(/The test order #1001 finished .*Starting a new test order/);
  });

  it('track completes a run whose tracking reached the store but has no report yet', async () => {
    const dir = tempConfigDir();
    const run = sandboxCli(dir);
    expect((await run('test-order', '--yes', '--json')).code).toBe(0);
    // a run recorded as finished but without its report (as an earlier version left it) is completed by sync
    const file = join(dir, 'profiles', 'default', 'sandbox', 'state.json');
    const stored = sandboxState(dir);
    stored.runs[0].report = null;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, JSON.stringify(stored));
    const tracked = await run('track', '1001', '--watch', '--json');
    expect(tracked.json().report).toMatchObject({ markdown: expect.stringMatching(/\.md$/), json: expect.stringMatching(/\.json$/) });
    expect(tracked.json().steps[5].status).toBe('done');
  });

  it('a refused --create leaves no run behind: a good --create and a plain resume work afterwards', async () => {
    const dir = tempConfigDir();
    const run = sandboxCli(dir);
    const refused = await run('test-order', '--create', '--variant', 'abc', '--yes', '--json');
    expect(refused.code).toBe(2);
    expect(sandboxState(dir).runs).toEqual([]);
    expect((await run('status', '--json')).json().orders).toEqual([]);

    const good = await run('test-order', '--create', '--yes', '--timeout', '0', '--json');
    expect(good.code, good.stderr).toBe(8);
    expect(good.json().order.number).toBe('1001');

    const resumed = await run('test-order', '--yes', '--timeout', '0', '--json');
    expect(resumed.stderr).not.toContain('Another onboard process');
    expect(resumed.json().order.number).toBe('1001');
  });

  it('a run that never placed an order is not under way: --create takes it over', async () => {
    const dir = tempConfigDir();
    const run = sandboxCli(dir);
    // an interrupted run before any order was placed
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(dir, 'profiles', 'default', 'sandbox'), { recursive: true });
    writeFileSync(
      join(dir, 'profiles', 'default', 'sandbox', 'state.json'),
      JSON.stringify({ version: 1, runs: [{ id: 'empty-run', startedAt: '2026-12-01T00:00:00.000Z', channel: 'shopify' }] }),
    );
    const created = await run('test-order', '--create', '--yes', '--timeout', '0', '--json');
    expect(created.code, created.stderr).toBe(8);
    expect(created.json().runId).toBe('empty-run');
    expect(sandboxState(dir).runs).toHaveLength(1);
  });

  it('--restart drops a run that never placed an order instead of leaving an empty abandoned row', async () => {
    const dir = tempConfigDir();
    const run = sandboxCli(dir);
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(dir, 'profiles', 'default', 'sandbox'), { recursive: true });
    writeFileSync(
      join(dir, 'profiles', 'default', 'sandbox', 'state.json'),
      JSON.stringify({ version: 1, runs: [{ id: 'empty-run', startedAt: '2026-12-01T00:00:00.000Z', channel: 'shopify', placementClaimedAt: Date.now() }] }),
    );
    const restarted = await run('test-order', '--restart', '--yes', '--timeout', '0', '--json');
    expect(restarted.code, restarted.stderr).toBe(8);
    const orders = (await run('status', '--json')).json().orders;
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ number: '1001', abandoned: false });
  });

  it('--restart with a bad value abandons nothing: the live run goes on', async () => {
    const dir = tempConfigDir();
    const run = sandboxCli(dir);
    expect((await run('test-order', '--yes', '--timeout', '0', '--json')).code).toBe(8);
    expect((await run('test-order', '--restart', '--create', '--variant', 'abc', '--yes', '--json')).code).toBe(2);
    expect((await run('test-order', '--restart', '--order', '4242', '--yes', '--json')).code).not.toBe(0);
    const runs = sandboxState(dir).runs;
    expect(runs).toHaveLength(1);
    expect(runs[0].abandoned).toBe(false);
    const resumed = await run('test-order', '--yes', '--timeout', '0', '--json');
    expect(resumed.json().order.number).toBe('1001');
    expect(resumed.stderr).toContain('Resuming the test order #1001');
  });

  it('resuming a run that is already authorized needs no --yes without a terminal', async () => {
    const dir = tempConfigDir();
    const run = sandboxCli(dir);
    await run('test-order', '--yes', '--timeout', '0');
    await run('sync', '--force');
    await run('authorize', '1001', '--yes');
    const resumed = await run('test-order', '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json().stage).toBe('tracking_synced');
  });

  it('authorize on an order already authorized needs no --yes without a terminal', async () => {
    const dir = tempConfigDir();
    const run = sandboxCli(dir);
    await run('test-order', '--yes', '--timeout', '0');
    await run('sync', '--force');
    expect((await run('authorize', '1001', '--yes')).code).toBe(0);
    const again = await run('authorize', '1001', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ authorized: true, alreadyAuthorized: true });
  });

  it('--timeout 0 needs no --yes: onboard authorizes nothing then', async () => {
    const dir = tempConfigDir();
    const result = await sandboxCli(dir)('test-order', '--timeout', '0', '--json');
    expect(result.code, result.stderr).toBe(8);
  });
});

describe('commands onboard prints work when pasted', { timeout: 90_000 }, () => {
  it('over-limit advice, "run again" and "already under way" carry --sandbox and --profile', async () => {
    const dir = tempConfigDir();
    const over = await cli(['test-order', '--sandbox', '--profile', 'acme', '--scenario', 'over-limit', '--yes', '--json'], { configDir: dir });
    expect(over.code).toBe(3);
    const fix = over.json().advice.fix.join('\n');
    expect(fix).toContain('onboard authorize 1001 --yes --sandbox --profile acme');
    expect(fix).toMatch(/onboard settings --auto-authorize --max 10\.28 --sandbox --profile acme/);

    const refused = await cli(['test-order', '--sandbox', '--profile', 'acme', '--order', '1001', '--json'], { configDir: dir });
    expect(refused.code).toBe(2);
    expect(refused.json().error.hint).toContain('onboard test-order --sandbox --profile acme');

    // pasted: the printed authorize command does what it says
    const pasted = fix.match(/onboard (authorize 1001 --yes --sandbox --profile acme)/)![1].split(' ');
    const authorized = await cli([...pasted, '--json'], { configDir: dir });
    expect(authorized.code, authorized.stderr).toBe(0);
    expect(authorized.json().authorized).toBe(true);
  });

  it('the --timeout "run again" line carries --sandbox', async () => {
    const result = await cli(['test-order', '--sandbox', '--yes', '--timeout', '0']);
    expect(result.stderr).toContain('Run onboard test-order --sandbox --yes --timeout 0 again');
  });

  it('the --restart line keeps what the user asked for (--create and its flags, the scenario)', async () => {
    const dir = tempConfigDir();
    expect((await cli(['test-order', '--sandbox', '--yes', '--timeout', '0'], { configDir: dir })).code).toBe(8);
    const asked = await cli(['test-order', '--sandbox', '--create', '--vendor', 'acme', '--yes', '--json'], { configDir: dir });
    expect(asked.code).toBe(2);
    const { error } = asked.json();
    expect(error.next).toEqual(['onboard test-order --sandbox --yes --json', 'onboard test-order --sandbox --create --vendor acme --yes --json --restart']);
  });

  it('a --create detail without --create is refused (exit 2), nothing placed', async () => {
    const dir = tempConfigDir();
    const result = await cli(['test-order', '--sandbox', '--yes', '--vendor', 'acme', '--ship-zip', '12345', '--json'], { configDir: dir });
    expect(result.code).toBe(2);
    const { error } = result.json();
    expect(error.message).toBe('--ship-zip, --vendor describe the order --create places; without --create they are not used');
    expect(error.hint).toBe('Add --create: onboard test-order --sandbox --yes --vendor acme --ship-zip 12345 --json --create');
    expect((await cli(['status', '--sandbox', '--json'], { configDir: dir })).json().orders).toEqual([]);
  });
});

describe('steps agree with the stage', { timeout: 90_000 }, () => {
  it('unmapped-shipping: step 2 fails and holds back step 3; imports not confirmed; advice once, with the promised email', async () => {
    const result = await cli(['test-order', '--sandbox', '--scenario', 'unmapped-shipping', '--yes']);
    expect(result.code).toBe(3);
    const everything = result.stderr + result.stdout;
    expect(result.stdout).toMatch(/✖ 2 Confirm import/);
    expect(result.stdout).not.toMatch(/✔ 3/);
    expect(result.stdout).toMatch(/imports not yet/);
    expect(everything.match(/has no mapping/g)).toHaveLength(1);
    expect(everything).toContain('drafted the email below');
    expect(everything).toMatch(/Subject: Shipping method "Economy Saver \(5-9 days\)" needs a mapping/);
    expect(everything).toContain('onboard track 1001 --watch --sandbox');

    const json = await cli(['test-order', '--sandbox', '--scenario', 'unmapped-shipping', '--yes', '--json']);
    const doc = json.json();
    expect(doc.steps.map((s: { status: string }) => s.status)).toEqual(['done', 'failed', 'pending', 'pending', 'pending', 'pending']);
    expect(doc.confirmed.imported).toBe(false);
    expect(doc.advice.email.subject).toContain(doc.order.shippingTitle);
  });
});

describe('the supplier email follows the authorization', { timeout: 90_000 }, () => {
  it('not before a declined payment', async () => {
    const result = await cli(['test-order', '--sandbox', '--scenario', 'payment-declined', '--yes', '--json']);
    expect(result.code).toBe(3);
    expect(result.stderr).not.toContain('confirm they received it');
    expect(result.json().email).toBeNull();
  });

  it('also when auto-authorize covered the order; kept with the run', async () => {
    const dir = tempConfigDir();
    expect((await cli(['settings', '--sandbox', '--auto-authorize', '--max', '50'], { configDir: dir })).code).toBe(0);
    const result = await cli(['test-order', '--sandbox', '--yes'], { configDir: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Skipped: Authorized by the portal');
    expect(result.stderr).toContain('Subject: Test order #1001 — please confirm receipt');
    expect(sandboxState(dir).runs[0].email.subject).toBe('Test order #1001 — please confirm receipt');
  });
});

describe('times for people are local, with the zone', { timeout: 90_000 }, () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.TZ;
    process.env.TZ = 'America/Chicago';
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('the narrative shows CST; the JSON stays ISO-8601 UTC', async () => {
    const result = await cli(['test-order', '--sandbox', '--yes', '--timeout', '0', '--json']);
    expect(result.stderr).toMatch(/placed \d{4}-\d\d-\d\d \d\d:\d\d CST/);
    expect(result.stderr).toMatch(/due by \d\d:\d\d CST/);
    expect(result.stderr).not.toContain('UTC');
    expect(result.json().order.createdAt).toMatch(/Z$/);
  });
});

describe('waiting says who the wait is on and what comes next', { timeout: 90_000 }, () => {
  it('track --watch waiting for the authorization says the dealer must act, and how', async () => {
    const dir = tempConfigDir();
    const run = sandboxCli(dir);
    await run('test-order', '--yes', '--timeout', '0');
    await run('sync', '--force');
    const watched = await run('track', '1001', '--watch', '--timeout', '1h');
    expect(watched.code).toBe(8);
    expect(watched.stderr).toContain('Waiting for you: authorize the payment for #1001');
    expect(watched.stderr).toContain('onboard authorize 1001 --sandbox');
    expect(watched.stderr).toMatch(/Not finished yet after 1 h of waiting\. Waiting for you/);
  });

  it('slow-supplier with --timeout 1d says how long it waited and when a shipment is likely', async () => {
    const result = await cli(['test-order', '--sandbox', '--scenario', 'slow-supplier', '--yes', '--timeout', '1d']);
    expect(result.code).toBe(8);
    expect(result.stderr).toMatch(/Not finished yet after 1 day of waiting\. Waiting for the supplier to ship #1001/);
    expect(result.stderr).toMatch(/usually ship within 1–3 business days \(about \d{4}-\d\d-\d\d/);
  });
});
