// The HTML report as a person sees it: rendered by headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), screenshotted at a phone's 375 px and a desktop's 1280 px. Checks what a person would: the six
// stage marks left to right in time order, the tracking link there, nothing cut off, nothing loaded from elsewhere.
// Screenshots land in .tmp/report-screenshots/ for a look. Skipped, saying why, where Chromium is missing.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';
import { ROOT } from '../e2e/built.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SKIP_REASON = `SKIPPED: ${CHROMIUM} is missing (install it with: apt-get install -y chromium; .ci/run does)`;
if (!hasChromium) console.warn(`[html report browser test] ${SKIP_REASON}`);

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SHOTS = join(ROOT, '.tmp', 'report-screenshots');

interface Box {
  left: number;
  right: number;
}
interface Measured {
  marks: (Box & { step: number; at: string | null; x: number })[];
  links: (Box & { href: string; text: string })[];
  cut: string[];
  scrollWidth: number;
  innerWidth: number;
}
/** Runs in the page: where the marks and tracking links are, and every element that sticks out of the viewport. */
const MEASURE = `(() => {
  const marks = [...document.querySelectorAll('svg .mark')].map((g) => {
    const r = g.querySelector('circle').getBoundingClientRect();
    return { step: Number(g.getAttribute('data-step')), at: g.getAttribute('data-at'), left: r.left, right: r.right, x: r.left + r.width / 2 };
  });
  const links = [...document.querySelectorAll('a.tracking')].map((a) => {
    const r = a.getBoundingClientRect();
    return { href: a.href, text: a.textContent || '', left: r.left, right: r.right };
  });
  const cut = [...document.body.querySelectorAll('*')]
    .map((el) => ({ el, r: el.getBoundingClientRect() }))
    .filter(({ r }) => r.width > 0 && r.height > 0 && (r.right > window.innerWidth + 0.5 || r.left < -0.5))
    .map(({ el, r }) => el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || '') + ' ' + Math.round(r.left) + '-' + Math.round(r.right));
  return { marks, links, cut, scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth };
})()`;

describe.skipIf(!hasChromium)(hasChromium ? 'the HTML report in Chromium' : `the HTML report in Chromium — ${SKIP_REASON}`, () => {
  let page: string;
  let tracking: string;
  let userDataDir: string;

  beforeAll(async () => {
    const dir = tempConfigDir();
    const wizard = await cli(['test-order', '--sandbox', '--yes', '--json'], { configDir: dir });
    expect(wizard.code, wizard.stderr).toBe(0);
    tracking = wizard.json().tracking[0].number;
    page = join(dir, 'r.html');
    const written = await cli(['report', '1001', '--sandbox', '--format', 'html', '--output', page], { configDir: dir, env: { TZ: 'America/Chicago' } });
    expect(written.code, written.stderr).toBe(0);
    userDataDir = mkdtempSync(join(tmpdir(), 'onboard-chromium-'));
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(() => {
    removeTempDirs();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('is one self-contained file, 0600: no script, no stylesheet or image from elsewhere', () => {
    expect(statSync(page).mode & 0o777).toBe(0o600);
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link\b|@import|url\(|<img\b|<iframe\b/i);
    expect(html).toMatch(/<style>/);
    expect(html).toMatch(/<svg\b/);
    expect(html).toContain(tracking);
    expect(html).toMatch(/href="mailto:/);
  });

  for (const width of [375, 1280]) {
    it(`at ${width} px: six stage marks left to right in time order, the tracking link, nothing cut off`, async () => {
      const { chromium } = await import('playwright-core');
      const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: FLAGS,
        viewport: { width, height: 900 },
        timeout: 30_000,
      });
      try {
        const requests: string[] = [];
        await context.route('**/*', (route) => {
          const url = route.request().url();
          if (url.startsWith('file:')) return route.continue();
          requests.push(url);
          return route.abort();
        });
        const tab = context.pages()[0] ?? (await context.newPage());
        await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });
        await tab.screenshot({ path: join(SHOTS, `report-${width}.png`), fullPage: true });
        const seen = (await tab.evaluate(MEASURE)) as Measured;
        expect(requests).toEqual([]);
        expect(seen.marks.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
        for (let i = 1; i < seen.marks.length; i++) {
          const [before, mark] = [seen.marks[i - 1], seen.marks[i]];
          // left to right, never overlapping, and in time order
          expect(mark.left, `mark ${mark.step} is right of mark ${before.step}`).toBeGreaterThanOrEqual(before.right);
          expect(Date.parse(mark.at as string)).toBeGreaterThanOrEqual(Date.parse(before.at as string));
        }
        for (const mark of seen.marks) {
          expect(mark.left).toBeGreaterThanOrEqual(0);
          expect(mark.right).toBeLessThanOrEqual(seen.innerWidth);
        }
        // to scale: shipping came hours after authorization, so the gap 4→5 is the widest
        const gaps = seen.marks.slice(1).map((m, i) => m.x - seen.marks[i].x);
        expect(Math.max(...gaps)).toBe(gaps[3]);
        const link = seen.links.find((l) => l.text.includes(tracking));
        expect(link, JSON.stringify(seen.links)).toBeDefined();
        expect(link?.right).toBeLessThanOrEqual(seen.innerWidth);
        expect(link?.href).toMatch(/^https:\/\//);
        expect(link?.href).toContain(tracking);
        expect(seen.cut).toEqual([]);
        expect(seen.scrollWidth).toBeLessThanOrEqual(seen.innerWidth);
      } finally {
        await context.close();
      }
    }, 120_000);
  }
});
