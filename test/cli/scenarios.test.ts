// Spec §3's scenario table: `onboard test-order --sandbox --scenario NAME --yes --json` on a fresh world ends
// with the row's stage, problem and exit code. In-process, over loopback, one temp config dir per test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';

afterEach(() => removeTempDirs());

interface Row {
  scenario: string;
  stage: string;
  problem: string | null;
  exit: number;
  /** the step the problem fails (spec §4 "Steps") */
  failedStep?: number;
}

const TABLE: Row[] = [
  { scenario: 'happy', stage: 'tracking_synced', problem: null, exit: 0 },
  { scenario: 'unmapped-shipping', stage: 'needs_attention', problem: 'shipping_unmapped', exit: 3, failedStep: 2 },
  { scenario: 'missing-phone', stage: 'needs_attention', problem: 'address_incomplete', exit: 3, failedStep: 1 },
  { scenario: 'over-limit', stage: 'needs_attention', problem: 'over_auto_authorize_limit', exit: 3, failedStep: 4 },
  { scenario: 'payment-declined', stage: 'needs_attention', problem: 'payment_declined', exit: 3, failedStep: 4 },
  { scenario: 'tracking-sync-error', stage: 'needs_attention', problem: 'tracking_sync_failed', exit: 3, failedStep: 5 },
  { scenario: 'slow-supplier', stage: 'tracking_synced', problem: null, exit: 0 },
];

async function testOrder(scenario: string, extra: string[] = [], configDir = tempConfigDir()) {
  const result = await cli(['test-order', '--sandbox', '--scenario', scenario, '--yes', '--json', ...extra], { configDir });
  return { result, doc: result.json(), configDir };
}

describe('test-order --sandbox --scenario NAME --yes --json on a fresh world', () => {
  it.each(TABLE)('$scenario ends at $stage, problem $problem, exit $exit', async (row) => {
    const { result, doc, configDir } = await testOrder(row.scenario);
    expect(result.code, result.stderr).toBe(row.exit);
    if (row.scenario === 'slow-supplier') {
      // three virtual days: the sandbox store's 24-hour Shopify access tokens were renewed at least twice, unseen
      const world = JSON.parse(readFileSync(join(configDir, 'profiles', 'default', 'sandbox', 'world.json'), 'utf8')).world;
      expect(world.tokens.shopify.grantsIssued).toBeGreaterThanOrEqual(3);
      const output = `${result.stdout}\n${result.stderr}`;
      expect(output).not.toContain(world.tokens.shopify.clientSecret);
      expect(output).not.toMatch(/shpat_sandboxcc_/);
    }
    expect(doc.stage).toBe(row.stage);
    expect(doc.problem).toBe(row.problem);
    expect(doc.scenario).toBe(row.scenario);
    expect(doc.order.number).toBe('1001');
    expect(doc.steps).toHaveLength(6);

    if (row.problem === null) {
      expect(doc.problems).toEqual([]);
      expect(doc.advice).toBeNull();
      expect(doc.steps.every((s: { status: string }) => s.status === 'done')).toBe(true);
      expect(doc.confirmed).toEqual({ imported: true, routed: true, trackingSynced: true });
      expect(doc.report).not.toBeNull();
      return;
    }
    expect(doc.problems).toContain(row.problem);
    // a problem fails its step
    expect(doc.steps[(row.failedStep as number) - 1].status).toBe('failed');
    // plain-words advice: what happened, why, and what to do
    expect(doc.advice).toBeTruthy();
    expect(typeof doc.advice.what).toBe('string');
    expect(doc.advice.what.length).toBeGreaterThan(0);
    expect(typeof doc.advice.why).toBe('string');
    expect(doc.advice.why.length).toBeGreaterThan(0);
    expect(Array.isArray(doc.advice.fix)).toBe(true);
    expect(doc.advice.fix.length).toBeGreaterThan(0);
    expect(doc.report).toBeNull();
    // advice on stderr too
    expect(result.stderr).toContain(doc.advice.what);
  });

  it('unmapped-shipping: the portal says "No Shipping Method" and the advice names the store\'s exact shipping title', async () => {
    const { result, doc } = await testOrder('unmapped-shipping');
    expect(result.code).toBe(3);
    const title = doc.order.shippingTitle;
    expect(typeof title).toBe('string');
    expect(title.length).toBeGreaterThan(0);
    expect(doc.systems.portal.orderStatus).toBe('No Shipping Method');
    const advice = [doc.advice.what, doc.advice.why, ...doc.advice.fix].join('\n');
    expect(advice).toContain(`"${title}"`);
    expect(advice).toMatch(/Shipping Mapping/);
  });

  it('missing-phone: the channel order has no phone and Order Manager holds it', async () => {
    const { doc } = await testOrder('missing-phone');
    expect(doc.lastStage).toBe('placed');
    expect(doc.advice.what).toMatch(/phone/i);
    expect(doc.confirmed.imported).toBe(false);
  });

  it('over-limit: the saved settings stay as they were, --yes did not authorize, and an explicit authorize does', async () => {
    const dir = tempConfigDir();
    const { result, doc } = await testOrder('over-limit', [], dir);
    expect(result.code).toBe(3);
    expect(doc.confirmed.routed).toBe(false);
    expect(doc.systems.portal.fulfillmentRequests).toEqual([]);
    expect(doc.advice.fix.join('\n')).toContain('onboard authorize 1001');

    const settings = await cli(['settings', '--sandbox', '--json'], { configDir: dir });
    expect(settings.json()).toMatchObject({ autoAuthorize: false, maxOrderTotal: null, appliedTo: 'portal' });

    const authorized = await cli(['authorize', '1001', '--yes', '--sandbox', '--json'], { configDir: dir });
    expect(authorized.code, authorized.stderr).toBe(0);
    expect(authorized.json()).toMatchObject({ authorized: true, stage: 'authorized', problem: null });
  });

  it('--yes never authorizes above the saved maximum; within it, auto-authorize covers it and step 4 is skipped', async () => {
    const over = tempConfigDir();
    expect((await cli(['settings', '--sandbox', '--auto-authorize', '--max', '5', '--json'], { configDir: over })).code).toBe(0);
    const stopped = await cli(['test-order', '--sandbox', '--yes', '--json'], { configDir: over });
    expect(stopped.code).toBe(3);
    expect(stopped.json().problem).toBe('over_auto_authorize_limit');
    expect(stopped.json().confirmed.routed).toBe(false);

    const under = tempConfigDir();
    expect((await cli(['settings', '--sandbox', '--auto-authorize', '--max', '50', '--json'], { configDir: under })).code).toBe(0);
    const covered = await cli(['test-order', '--sandbox', '--yes', '--json'], { configDir: under });
    expect(covered.code, covered.stderr).toBe(0);
    expect(covered.json().steps.map((s: { status: string }) => s.status)).toEqual(['done', 'done', 'done', 'skipped', 'done', 'done']);
  });

  it('slow-supplier with --timeout 1d stops at authorized, exit 8', async () => {
    const { result, doc } = await testOrder('slow-supplier', ['--timeout', '1d']);
    expect(result.code, result.stderr).toBe(8);
    expect(doc.lastStage).toBe('authorized');
    expect(doc.stage).toBe('authorized');
    expect(doc.problem).toBeNull();
    expect(doc.steps[4].status).toBe('waiting');
    expect(doc.report).toBeNull();
  });
});
