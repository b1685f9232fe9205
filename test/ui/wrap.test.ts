// Wrapping for the terminal: word boundaries, a hanging indent under the marker, commands and times kept whole.
import { beforeAll, describe, expect, it } from 'vitest';
import { commandLineFor } from '../../src/core/command-line.js';
import { renderOrder } from '../../src/ui/render.js';
import { createStyle } from '../../src/ui/style.js';
import { loadWrapping, visibleWidth, wrapLine, wrapText } from '../../src/ui/wrap.js';

// the CLI loads the wrapper when a stream is a terminal; these tests call it directly
beforeAll(() => loadWrapping());

const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe('wrapLine', () => {
  it('wraps at word boundaries, never wider than asked, losing no word', () => {
    const line = '  ✔ #1001 on Shopify: 10.28 USD, shipping "Standard Shipping", placed 2026-12-01 09:47 UTC, checked twice over';
    const wrapped = wrapLine(line, 80);
    for (const part of wrapped.split('\n')) expect(visibleWidth(part)).toBeLessThanOrEqual(80);
    expect(words(wrapped)).toEqual(words(line));
  });

  it('keeps a date and time together, and a continuation under the text after the marker', () => {
    const wrapped = wrapLine('  ✔ #1001 on Shopify: 10.28 USD, shipping "Standard Shipping", placed 2026-12-01 09:47 UTC', 80).split('\n');
    expect(wrapped).toEqual(['  ✔ #1001 on Shopify: 10.28 USD, shipping "Standard Shipping", placed', '    2026-12-01 09:47 UTC']);
    const step = wrapLine("    2. Order Manager → Channels → gear → Shipping Mapping → the store's exact shipping title → Add Mapping", 60).split('\n');
    expect(step[1]).toMatch(/^ {7}\S/);
  });

  it('keeps a printed command on one line so it pastes whole', () => {
    const hint = '  Not finished yet: waiting for Order Manager to import #1001 (plus plan). Run onboard test-order --sandbox --profile acme again to resume.';
    const wrapped = wrapLine(hint, 60).split('\n');
    expect(wrapped.some((l) => l.startsWith('  onboard test-order --sandbox --profile acme'))).toBe(true);
    const fix = wrapLine('  Give it back: sudo chown -R "$(id -un)" /home/dana/.config/onboard — or set ONBOARD_CONFIG_DIR elsewhere.', 50);
    expect(fix.split('\n').some((l) => l.includes('sudo chown -R "$(id -un)" /home/dana/.config/onboard'))).toBe(true);
  });

  it('colour codes take no width, and a word longer than the width (a path) is never cut', () => {
    const green = createStyle(true).green('✔');
    const wrapped = wrapLine(`  ${green} ${'word '.repeat(20)}`, 40);
    for (const part of wrapped.split('\n')) expect(visibleWidth(part)).toBeLessThanOrEqual(40);
    const path = `/tmp/${'x'.repeat(100)}/report.md`;
    expect(wrapLine(`Report: ${path}`, 40).split('\n')).toContain(path);
  });

  it('leaves text alone when there is no width (not a terminal)', () => {
    const long = 'word '.repeat(50).trim();
    expect(wrapText(long, null)).toBe(long);
  });
});

describe('renderOrder', () => {
  it('the "portal not connected" line carries the invocation', () => {
    const text = renderOrder(
      {
        order: { name: '#1001', total: '10.28', currency: 'USD', channel: 'shopify', portalId: null },
        stage: 'placed',
        problem: null,
        steps: [],
        tracking: [],
        confirmed: { imported: false, routed: false, trackingSynced: false },
        systems: { portal: { connected: false } },
      },
      createStyle(false),
      commandLineFor({ sandbox: false, profileFlag: 'acme', launcher: ['npx', 'onboard'] }),
    );
    expect(text).toContain('(npx onboard connect flxpoint --profile acme)');
  });
});
