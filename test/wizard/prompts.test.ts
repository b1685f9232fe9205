// The wizard driven through its prompts, as a person at a terminal would: stdin and stdout are (fake)
// terminals, and keys are typed when the question shows on stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { render } from '@inquirer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/main.js';
import { createPrompter } from '../../src/ui/prompter.js';
import { InputRequiredError } from '../../src/core/errors.js';

/** A writable that behaves like a tty.WriteStream where onboard, ora and @inquirer touch it. */
function ttyOut() {
  const stream = Object.assign(new PassThrough(), {
    isTTY: true,
    columns: 100,
    rows: 40,
    cursorTo: (_x: number, _y?: unknown, done?: () => void) => (done?.(), true),
    moveCursor: (_dx: number, _dy: number, done?: () => void) => (done?.(), true),
    clearLine: (_dir: number, done?: () => void) => (done?.(), true),
    clearScreenDown: (done?: () => void) => (done?.(), true),
    getColorDepth: () => 8,
    hasColors: () => true,
  });
  // Like process.stderr, a prompt that pipes into it must not end it.
  stream.end = (() => stream) as typeof stream.end;
  return stream;
}

function terminal() {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin });
  const stdout = ttyOut();
  const stderr = ttyOut();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  return { io: { stdin, stdout, stderr }, text: () => ({ out, err }) };
}

async function until(predicate: () => boolean, what: string, ms = 10_000) {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const dirs: string[] = [];
function env() {
  const dir = mkdtempSync(join(tmpdir(), 'onboard-wizard-'));
  dirs.push(dir);
  return { ONBOARD_CONFIG_DIR: dir, PATH: process.env.PATH, NO_COLOR: '1' };
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the test-order wizard at a terminal', () => {
  it('asks before authorizing payment, and completes all six steps on "yes"', async () => {
    const term = terminal();
    const done = run(['test-order', '--sandbox'], { env: env(), io: term.io });
    await until(() => term.text().err.includes('Authorize 10.28 USD for #1001 now?'), 'the authorize question');
    expect(term.text().err).toContain('Step 3 of 6');
    term.io.stdin.write('y\r');
    expect(await done).toBe(0);
    const { err, out } = term.text();
    for (let step = 1; step <= 6; step += 1) expect(err).toContain(`Step ${step} of 6`);
    expect(err).toContain('Subject: Test order #1001');
    expect(out).toContain('tracking on the store');
  });

  it('answering "no" authorizes nothing and exits 8; running it again resumes at the question', async () => {
    const environment = env();
    const first = terminal();
    const done = run(['test-order', '--sandbox'], { env: environment, io: first.io });
    await until(() => first.text().err.includes('Authorize 10.28 USD for #1001 now?'), 'the authorize question');
    first.io.stdin.write('n\r');
    expect(await done).toBe(8);

    const second = terminal();
    const resumed = run(['test-order', '--sandbox'], { env: environment, io: second.io });
    await until(() => second.text().err.includes('Authorize 10.28 USD for #1001 now?'), 'the question again');
    expect(second.text().err).toContain('Resuming the test order #1001');
    second.io.stdin.write('y\r');
    expect(await resumed).toBe(0);
  });

  it('Ctrl-C inside the question saves, exits 130 and names the command that resumes', async () => {
    const environment = env();
    const term = terminal();
    const done = run(['test-order', '--sandbox'], { env: environment, io: term.io });
    await until(() => term.text().err.includes('Authorize 10.28 USD for #1001 now?'), 'the authorize question');
    term.io.stdin.write('\x03');
    expect(await done).toBe(130);
    expect(term.text().err).toContain('onboard test-order');

    const again = terminal();
    const resumed = run(['test-order', '--sandbox', '--yes', '--json'], { env: environment, io: again.io });
    expect(await resumed).toBe(0);
    expect(JSON.parse(again.text().out).order.number).toBe('1001');
  });
});

describe('one authorize question, default No, asked on the spot', { timeout: 60_000 }, () => {
  it('Enter alone answers No: nothing is authorized (exit 8)', async () => {
    const term = terminal();
    const done = run(['test-order', '--sandbox'], { env: env(), io: term.io });
    await until(() => term.text().err.includes('Authorize 10.28 USD for #1001 now? (y/N)'), 'the authorize question', 30_000);
    term.io.stdin.write('\r');
    expect(await done).toBe(8);
    expect(term.text().err).toContain('Not authorized. When you are ready: onboard authorize 1001 --sandbox');
  });

  it('over the auto-authorize maximum the wizard asks and goes on to step 6 on "yes"', async () => {
    const term = terminal();
    const done = run(['test-order', '--sandbox', '--scenario', 'over-limit'], { env: env(), io: term.io });
    await until(() => term.text().err.includes('Authorize 10.28 USD for #1001 now? (y/N)'), 'the authorize question', 30_000);
    expect(term.text().err).toContain('above your auto-authorize maximum');
    term.io.stdin.write('y\r');
    expect(await done).toBe(0);
    const { err, out } = term.text();
    expect(err).toContain('Step 6 of 6');
    expect(err).toContain('Subject: Test order #1001');
    expect(out).toContain('tracking on the store');
  });

  it('over the maximum, "no" leaves it for later: exit 3 with the advice', async () => {
    const term = terminal();
    const done = run(['test-order', '--sandbox', '--scenario', 'over-limit'], { env: env(), io: term.io });
    await until(() => term.text().err.includes('Authorize 10.28 USD for #1001 now? (y/N)'), 'the authorize question', 30_000);
    term.io.stdin.write('n\r');
    expect(await done).toBe(3);
    expect(term.text().err).toContain('onboard authorize 1001 --yes --sandbox');
  });
});

describe('--create at a terminal', { timeout: 60_000 }, () => {
  it('lists the cheap items, lets the person choose, and asks again on a bad answer', async () => {
    const term = terminal();
    const done = run(['test-order', '--sandbox', '--create', '--vendor', 'ACME', '--timeout', '0'], { env: env(), io: term.io });
    await until(() => term.text().err.includes('Which item?'), 'the item question', 30_000);
    expect(term.text().err).toContain('1. Acme Canvas Tote - Black (Acme Supply) · 11.99 USD');
    term.io.stdin.write('9\r');
    await until(() => term.text().err.includes('Type a number from 1 to 2'), 'the question asked again', 30_000);
    term.io.stdin.write('\x7f2\r');
    expect(await done).toBe(8);
    // item 2 (12.99) plus the test shipping (0.01)
    expect(term.text().out).toContain('#1001 · 13.00 USD');
  });
});

describe('the prompt boundary', () => {
  it('renders a confirmation through @inquirer and returns the answer', async () => {
    // The prompter binds @inquirer/prompts to the given streams; @inquirer/testing drives the same prompt.
    const { confirm } = await import('@inquirer/prompts');
    const { answer, events, getScreen } = await render(confirm, { message: 'Authorize payment of 10.28 USD for order #1001?', default: true });
    expect(getScreen()).toContain('Authorize payment of 10.28 USD for order #1001?');
    events.keypress('enter');
    await expect(answer).resolves.toBe(true);
  });

  it('refuses to prompt when not interactive, naming the flag, without reading stdin', async () => {
    const stdin = new PassThrough();
    const prompter = createPrompter({ stdin, stdout: new PassThrough(), stderr: new PassThrough() }, false);
    await expect(prompter.confirm({ message: 'Authorize payment?', flag: '--yes' })).rejects.toThrow(InputRequiredError);
    await expect(prompter.confirm({ message: 'Authorize payment?', flag: '--yes' })).rejects.toThrow(/--yes/);
    expect(stdin.listenerCount('data')).toBe(0);
  });
});
