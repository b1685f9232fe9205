// The report tells the run as recorded and agrees with itself: the email the run has (never a confirmation for an
// order not authorized), one time and status per stage in the stage list and the timeline, an abandoned run
// said to be abandoned, and "Written" on the systems' clock (the sandbox's virtual one), never before its events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';

let finished: string;

beforeAll(async () => {
  finished = tempConfigDir();
  const wizard = await cli(['test-order', '--sandbox', '--yes', '--json'], { configDir: finished });
  expect(wizard.code, wizard.stderr).toBe(0);
}, 120_000);
afterAll(() => removeTempDirs());

describe('onboard report: the email the run has', { timeout: 90_000 }, () => {
  it('a run stopped by an unmapped shipping method shows the mapping request, not a confirmation of receipt', async () => {
    const dir = tempConfigDir();
    const run = await cli(['test-order', '--sandbox', '--scenario', 'unmapped-shipping', '--yes', '--json'], { configDir: dir });
    expect(run.json().problem).toBe('shipping_unmapped');
    const email = await cli(['report', '--sandbox', '--email'], { configDir: dir });
    expect(email.code, email.stderr).toBe(0);
    expect(email.stdout).toContain('Subject: Shipping method "Economy Saver (5-9 days)" needs a mapping (order #1001)');
    expect(email.stdout).not.toContain('please confirm receipt');
    const doc = (await cli(['report', '--sandbox', '--format', 'json'], { configDir: dir })).json();
    expect(doc.email.subject).toContain('needs a mapping');
    expect(doc.stages[3].reached).toBe(false);
    // the report confirms what the wizard confirms: an order in the portal without its shipping method mapped did
    // not import properly
    expect(doc.confirmed).toEqual(run.json().confirmed);
    expect(doc.confirmed.imported).toBe(false);
  });

  it('a run not authorized and with no problem has no email yet', async () => {
    const dir = tempConfigDir();
    expect((await cli(['test-order', '--sandbox', '--yes', '--timeout', '0'], { configDir: dir })).code).toBe(8);
    const doc = (await cli(['report', '--sandbox', '--format', 'json'], { configDir: dir })).json();
    expect(doc.email).toBeNull();
    const email = await cli(['report', '--sandbox', '--email', '--json'], { configDir: dir });
    expect(email.code).toBe(1);
    expect(email.json().error.message).toContain('authorized');
  });
});

describe('onboard report: one time and status per stage', { timeout: 90_000 }, () => {
  it('each stage has the time the run recorded it, the same as its line in the timeline, and the timeline keeps stage order', async () => {
    const doc = (await cli(['report', '1001', '--sandbox', '--format', 'json'], { configDir: finished })).json();
    const shipment = doc.events.find((e: { kind: string }) => e.kind === 'shipment');
    const onStore = doc.events.find((e: { kind: string }) => e.kind === 'tracking_on_channel');
    expect(doc.stages[4].at).toBe(shipment.at);
    expect(doc.stages[5].at).toBe(onStore.at);
    const request = doc.events.find((e: { kind: string }) => e.kind === 'fulfillment_request');
    expect(doc.stages[3].evidence[0]).toContain(`(${request.evidence.status}`);

    const text = (await cli(['report', '1001', '--sandbox'], { configDir: finished })).stdout;
    const timeline = text.split('## Timeline')[1] as string;
    const stageTime = (title: string) => text.match(new RegExp(`\\*\\*${title}\\*\\* — (.+?) \\(`))?.[1];
    const lineTime = (words: string) => timeline.match(new RegExp(`- (.+?) — Now ${words}\\n`))?.[1];
    expect(stageTime('Shipped')).toBeTruthy();
    expect(lineTime('shipped')).toBe(stageTime('Shipped'));
    expect(lineTime('payment authorized')).toBe(stageTime('Authorized'));
    expect(lineTime('tracking on the store')).toBe(stageTime('Tracking on the store'));
    expect(timeline.indexOf('Shipped: UPS')).toBeLessThan(timeline.indexOf('is on the store order'));
    expect(timeline.indexOf('Now shipped')).toBeLessThan(timeline.indexOf('Now tracking on the store'));
  });
});

describe('onboard report on an abandoned run', { timeout: 90_000 }, () => {
  it('says it was abandoned (title, summary, JSON abandoned: true) and prints no 0 s span', async () => {
    const dir = tempConfigDir();
    expect((await cli(['test-order', '--sandbox', '--yes', '--timeout', '0'], { configDir: dir })).code).toBe(8);
    expect((await cli(['test-order', '--sandbox', '--yes', '--restart', '--timeout', '0'], { configDir: dir })).code).toBe(8);
    const doc = (await cli(['report', '1001', '--sandbox', '--format', 'json'], { configDir: dir })).json();
    expect(doc.abandoned).toBe(true);
    expect(doc.title).toBe('Test order #1001: abandoned');
    const text = (await cli(['report', '1001', '--sandbox'], { configDir: dir })).stdout;
    expect(text).toContain('# Test order #1001: abandoned');
    expect(text).toMatch(/- Abandoned: /);
    expect(text).not.toContain('Not finished');
    expect(text).not.toMatch(/From placed to placed|: 0 s/);
    const html = (await cli(['report', '1001', '--sandbox', '--format', 'html'], { configDir: dir })).stdout;
    expect(html).toContain('>Abandoned</span>');
    expect(html).not.toMatch(/0 s from placed/);
    const current = (await cli(['report', '1002', '--sandbox', '--format', 'json'], { configDir: dir })).json();
    expect(current.abandoned).toBe(false);
  });
});

describe('onboard report: when it was written', { timeout: 90_000 }, () => {
  it('on the sandbox the time is the world clock: never before the run it reports', async () => {
    const doc = (await cli(['report', '1001', '--sandbox', '--format', 'json'], { configDir: finished })).json();
    const last = Math.max(...doc.events.map((e: { at: string }) => Date.parse(e.at)));
    expect(Date.parse(doc.generatedAt)).toBeGreaterThanOrEqual(last);
    const html = (await cli(['report', '1001', '--sandbox', '--format', 'html'], { configDir: finished })).stdout;
    const written = html.match(/Written (\d{4}-\d\d-\d\d \d\d:\d\d)/)?.[1];
    expect(written).toBeTruthy();
    expect(Date.parse(`${written}Z`.replace(' ', 'T'))).toBeGreaterThanOrEqual(Math.floor(last / 60_000) * 60_000);
    // the Markdown says when it was written too, the same time
    const markdown = (await cli(['report', '1001', '--sandbox'], { configDir: finished })).stdout;
    expect(markdown).toContain(`Written ${written}`);
  });
});
