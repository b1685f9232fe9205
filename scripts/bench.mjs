#!/usr/bin/env node
// Speed goals, measured as ratios in one run on this machine:
//   onboard --help            at most 1.5 × `node -e 0` (commands load lazily)
//   the sandbox wizard        `onboard test-order --sandbox --yes --json` end to end (goal: under 5 s)
// Usage: npm run bench [-- --runs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'onboard.js');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 15;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function time(args, env = {}, setup = () => undefined) {
  const samples = [];
  for (let i = 0; i < runs; i += 1) {
    const extra = setup() ?? {};
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env: { ...process.env, ...env, ...extra }, stdio: ['ignore', 'ignore', 'ignore'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
    samples.push(ms);
  }
  return median(samples);
}

// Warm the file cache once.
time(['-e', '0']);
time([bin, '--help']);

const floor = time(['-e', '0']);
const help = time([bin, '--help']);
const dirs = [];
const wizard = time([bin, 'test-order', '--sandbox', '--yes', '--json'], {}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'onboard-bench-'));
  dirs.push(dir);
  return { ONBOARD_CONFIG_DIR: dir };
});
for (const dir of dirs) rmSync(dir, { recursive: true, force: true });

const rows = [
  ['node -e 0', floor, 1],
  ['onboard --help', help, help / floor],
  ['onboard test-order --sandbox --yes --json', wizard, wizard / floor],
];
console.log(`median of ${runs} runs each, Node ${process.version}`);
for (const [name, ms, ratio] of rows) console.log(`${name.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  ${ratio.toFixed(2)}×`);
const helpOk = help / floor <= 1.5;
const wizardOk = wizard < 5000;
console.log(`--help goal (≤ 1.5× node -e 0): ${helpOk ? 'met' : 'NOT met'}; wizard goal (< 5 s): ${wizardOk ? 'met' : 'NOT met'}`);
process.exitCode = helpOk && wizardOk ? 0 : 1;
