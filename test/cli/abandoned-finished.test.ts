// Runs at their ends (what a new user hit): an abandoned test order is never authorized silently and shows as
// abandoned; a finished test order named again with --order is said to be finished, never run a second time.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs, sandboxCli, sandboxState, tempConfigDir } from '../helpers/cli.js';

afterEach(() => removeTempDirs());

const oneLine = (text: string) => text.replace(/\s+/g, ' ');

/** #1001 placed and in the portal, then abandoned by `test-order --restart` (which places #1002). */
async function abandoned1001(dir: string) {
  const run = sandboxCli(dir);
  expect((await run('test-order', '--yes', '--timeout', '0', '--json')).code).toBe(8);
  expect((await run('sync', '--force', '--json')).json().orders[0].stage).toBe('in_portal');
  const restarted = await run('test-order', '--restart', '--yes', '--timeout', '0', '--json');
  expect(restarted.json().order.number).toBe('1002');
  expect(sandboxState(dir).runs.find((r: { order: { number: string } | null }) => r.order?.number === '1001').abandoned).toBe(true);
  return run;
}

describe('an abandoned test order', { timeout: 90_000 }, () => {
  it('authorize --yes refuses it (exit 2), names the abandonment and how to follow it again, and clicks nothing', async () => {
    const dir = tempConfigDir();
    const run = await abandoned1001(dir);
    const refused = await run('authorize', '1001', '--yes');
    expect(refused.code, refused.stderr).toBe(2);
    const said = oneLine(refused.stderr);
    expect(said).toMatch(/#1001 was abandoned/);
    expect(said).toContain('onboard test-order --order 1001 --restart --sandbox');
    const json = await run('authorize', '1001', '--yes', '--json');
    expect(json.code).toBe(2);
    expect(json.json().error).toMatchObject({ code: 'usage', next: ['onboard test-order --order 1001 --restart --sandbox'] });
    const stored = sandboxState(dir).runs.find((r: { order: { number: string } | null }) => r.order?.number === '1001');
    expect(stored.portal.fulfillmentRequests).toEqual([]);
    expect(stored.authorizedByOnboardAt).toBeNull();
    // nor without --yes: the refusal comes before the question about --yes
    expect((await run('authorize', '1001', '--json')).code).toBe(2);

    // the command it names works: #1001 is the test order again (#1002 abandoned), and authorize then pays for it
    const followed = await run('test-order', '--order', '1001', '--restart', '--yes', '--timeout', '0', '--json');
    expect(followed.code, followed.stderr).toBe(8);
    expect(followed.json().order.number).toBe('1001');
    const authorized = await run('authorize', '1001', '--yes', '--json');
    expect(authorized.code, authorized.stderr).toBe(0);
    expect(authorized.json().authorized).toBe(true);
  });

  it('authorize says an abandoned order that is already authorized is authorized, as for any order', async () => {
    const dir = tempConfigDir();
    const run = sandboxCli(dir);
    expect((await run('test-order', '--yes', '--timeout', '0')).code).toBe(8);
    await run('sync', '--force');
    expect((await run('authorize', '1001', '--yes')).code).toBe(0);
    expect((await run('test-order', '--restart', '--yes', '--timeout', '0')).code).toBe(8);
    const again = await run('authorize', '1001', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ authorized: true, alreadyAuthorized: true });
    expect(again.stderr).toContain('already authorized');
  });

  it('track says it was abandoned, in words and in the JSON', async () => {
    const dir = tempConfigDir();
    const run = await abandoned1001(dir);
    const tracked = await run('track', '1001', '--json');
    expect(tracked.json().abandoned).toBe(true);
    expect(oneLine(tracked.stderr)).toMatch(/#1001 was abandoned/);
    expect(oneLine(tracked.stderr)).toContain('onboard test-order --order 1001 --restart --sandbox');
    const human = await run('track', '1001');
    expect(oneLine(human.stderr)).toMatch(/#1001 was abandoned/);
    expect(human.stdout.split('\n')[0]).toMatch(/#1001 .*\(abandoned\)$/);
    // the live run is not abandoned
    const live = await run('track', '1002', '--json');
    expect(live.json().abandoned).toBe(false);
    expect(live.stderr).not.toMatch(/abandoned/);
  });

  it('track --watch on an abandoned order shows it and waits on nothing: no record changes, the clock stands still', async () => {
    const dir = tempConfigDir();
    const run = await abandoned1001(dir);
    const before = readFileSync(join(dir, 'profiles', 'default', 'sandbox', 'state.json'), 'utf8');
    const watched = await run('track', '1001', '--watch', '--json');
    expect(watched.json().abandoned).toBe(true);
    expect(oneLine(watched.stderr)).toMatch(/#1001 was abandoned: .* \(so --watch does not wait on it\)/);
    expect(readFileSync(join(dir, 'profiles', 'default', 'sandbox', 'state.json'), 'utf8')).toBe(before);
    // the report's --email of an abandoned run points at following it again, not at watching it
    const email = await run('report', '1001', '--email', '--json');
    expect(email.json().error.next).toEqual(['onboard test-order --order 1001 --restart --sandbox']);
  });
});

describe('a finished test order named again', { timeout: 90_000 }, () => {
  async function finished1001(dir: string) {
    const run = sandboxCli(dir);
    const done = await run('test-order', '--yes', '--json');
    expect(done.code, done.stderr).toBe(0);
    expect(done.json().stage).toBe('tracking_synced');
    return { run, report: done.json().report as { markdown: string; json: string } };
  }

  it('test-order --order says it already finished (with its report), exits 0 and starts no second run', async () => {
    const dir = tempConfigDir();
    const { run, report } = await finished1001(dir);
    const again = await run('test-order', '--order', '1001', '--yes', '--json');
    expect(again.code, again.stderr).toBe(0);
    const said = oneLine(again.stderr);
    expect(said).toMatch(/#1001 already finished/);
    expect(said).toContain(report.markdown);
    expect(said).not.toContain('Starting a new test order');
    expect(again.json()).toMatchObject({ order: { number: '1001' }, stage: 'tracking_synced', report });
    expect(sandboxState(dir).runs).toHaveLength(1);
    const orders = (await run('status', '--json')).json().orders;
    expect(orders.map((o: { number: string }) => o.number)).toEqual(['1001']);
  });

  it('test-order --restart --order on a finished order starts no duplicate and abandons nothing', async () => {
    const dir = tempConfigDir();
    const { run } = await finished1001(dir);
    // a live run of another order stays live
    expect((await run('test-order', '--yes', '--timeout', '0', '--json')).json().order.number).toBe('1002');
    const again = await run('test-order', '--restart', '--order', '1001', '--yes', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(oneLine(again.stderr)).toMatch(/#1001 already finished/);
    expect(again.json().order.number).toBe('1001');
    const runs = sandboxState(dir).runs;
    expect(runs.map((r: { order: { number: string } }) => r.order.number)).toEqual(['1001', '1002']);
    expect(runs.map((r: { abandoned: boolean }) => r.abandoned)).toEqual([false, false]);
  });

  it('test-order --order on a cancelled test order says it was cancelled, exits 3 and starts no second run', async () => {
    const dir = tempConfigDir();
    const run = sandboxCli(dir);
    expect((await run('test-order', '--yes', '--timeout', '0')).code).toBe(8);
    // the order cancelled on the store, as a later look recorded it
    const stored = sandboxState(dir);
    stored.runs[0].order.cancelled = true;
    stored.runs[0].problems = ['canceled'];
    writeFileSync(join(dir, 'profiles', 'default', 'sandbox', 'state.json'), JSON.stringify(stored));
    const again = await run('test-order', '--order', '1001', '--yes', '--json');
    expect(again.code, again.stderr).toBe(3);
    expect(oneLine(again.stderr)).toMatch(/#1001 was already cancelled/);
    expect(again.json().problem).toBe('canceled');
    expect(sandboxState(dir).runs).toHaveLength(1);
  });

  it('test-order --order without --yes and without a terminal is not asked about authorizing a finished order', async () => {
    const dir = tempConfigDir();
    const { run } = await finished1001(dir);
    const again = await run('test-order', '--order', '#1001', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(sandboxState(dir).runs).toHaveLength(1);
  });
});
