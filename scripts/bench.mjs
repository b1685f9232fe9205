#!/usr/bin/env node
// Startup goals, measured in one run on this machine against `node -e 0` (the floor):
//   onboard --help                              at most 1.25 × the floor
//   onboard status --json, onboard settings --json
//                                               at most 2 × the floor, peak memory at most 50 MiB
//   onboard test-order --sandbox --yes --json   the six-step sandbox wizard, under 1.5 s
// Each round runs every command once, in an order that rotates from round to round, so a busy machine slows
// them alike; the table shows medians. status and settings read a profile with two tracked orders and stored
// credentials for Shopify, Flxpoint and Inventory Source (local state only: no network). Peak memory (the
// process's maximum resident set) is measured in separate runs. Exits 1 when a goal is missed.
// Usage: npm run bench [-- --runs N]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'onboard.js');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 15;
const MEMORY_RUNS = 5;
const MIB = 1024 * 1024;

const scratch = mkdtempSync(join(tmpdir(), 'onboard-bench-'));
const env = (configDir) => ({ PATH: process.env.PATH ?? '', HOME: scratch, ONBOARD_CONFIG_DIR: configDir });

function spawnOnce(args, configDir, extraNodeArgs = []) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [...extraNodeArgs, ...args], { env: env(configDir), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}\n${result.stderr}`);
  return { ms, stderr: result.stderr };
}

// A profile as a dealer's scripts find it: two tracked orders, stored credentials (the state is the sandbox
// wizard's record of two finished runs, copied into the real namespace).
const profile = join(scratch, 'profile');
spawnOnce([bin, 'test-order', '--sandbox', '--yes', '--json'], profile);
spawnOnce([bin, 'test-order', '--sandbox', '--yes', '--json'], profile);
const real = join(profile, 'profiles', 'default', 'real');
mkdirSync(real, { recursive: true, mode: 0o700 });
copyFileSync(join(profile, 'profiles', 'default', 'sandbox', 'state.json'), join(real, 'state.json'));
writeFileSync(
  join(real, 'credentials.json'),
  JSON.stringify({
    shopify: { store: 'bench-store.myshopify.com', token: 'shpat_bench', account: 'Bench Store', checkedAt: '2026-11-30T12:00:00.000Z' },
    flxpoint: { token: 'flx_bench', supplierEmail: 'supplier@example.com', account: 'Bench Dealer', checkedAt: '2026-11-30T12:00:00.000Z' },
    'inventory-source': { plan: 'plus' },
  }),
  { mode: 0o600 },
);
if (JSON.parse(readFileSync(join(real, 'state.json'), 'utf8')).runs.length !== 2) throw new Error('the bench profile should hold two runs');

let wizardDirs = 0;
const commands = [
  { name: 'node -e 0', args: ['-e', '0'], dir: () => profile },
  { name: 'onboard --help', args: [bin, '--help'], dir: () => profile, goal: { ratio: 1.25 } },
  { name: 'onboard status --json', args: [bin, 'status', '--json'], dir: () => profile, goal: { ratio: 2, mib: 50 } },
  { name: 'onboard settings --json', args: [bin, 'settings', '--json'], dir: () => profile, goal: { ratio: 2, mib: 50 } },
  {
    name: 'onboard test-order --sandbox --yes --json',
    args: [bin, 'test-order', '--sandbox', '--yes', '--json'],
    dir: () => join(scratch, `wizard-${(wizardDirs += 1)}`),
    goal: { ms: 1500 },
  },
];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const loadBefore = loadavg()[0];
// Warm the file cache.
for (const command of commands) spawnOnce(command.args, command.dir());

const samples = commands.map(() => []);
for (let round = 0; round < runs; round += 1) {
  for (let k = 0; k < commands.length; k += 1) {
    const i = (round + k) % commands.length;
    samples[i].push(spawnOnce(commands[i].args, commands[i].dir()).ms);
  }
}

// Peak memory: a CommonJS preload (no ES module loader) reports the process's maximum resident set at exit.
const preload = join(scratch, 'peak-rss.cjs');
writeFileSync(preload, "process.on('exit', () => process.stderr.write(`\\npeak-rss ${process.resourceUsage().maxRSS}\\n`));\n");
const peaks = commands.map((command) => {
  if (!command.goal?.mib && command.name !== 'node -e 0') return null;
  const values = [];
  for (let i = 0; i < MEMORY_RUNS; i += 1) {
    const { stderr } = spawnOnce(command.args, command.dir(), ['--require', preload]);
    values.push(Number(/peak-rss (\d+)/.exec(stderr)[1]) * 1024);
  }
  return Math.max(...values);
});
const loadAfter = loadavg()[0];
rmSync(scratch, { recursive: true, force: true });

const floor = median(samples[0]);
let allMet = true;
const rows = commands.map((command, i) => {
  const ms = median(samples[i]);
  const ratio = ms / floor;
  const peak = peaks[i];
  const checks = [];
  if (command.goal?.ratio) checks.push([ratio <= command.goal.ratio, `≤ ${command.goal.ratio}×`]);
  if (command.goal?.mib) checks.push([peak <= command.goal.mib * MIB, `≤ ${command.goal.mib} MiB`]);
  if (command.goal?.ms) checks.push([ms < command.goal.ms, `< ${command.goal.ms / 1000} s`]);
  const met = checks.every(([ok]) => ok);
  allMet &&= met;
  const goal = checks.length ? `${checks.map(([, text]) => text).join(', ')}: ${met ? 'met' : 'NOT MET'}` : '';
  const time = ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
  return `| \`${command.name}\` | ${time} | ${ratio.toFixed(2)}× | ${peak === null ? '' : `${(peak / MIB).toFixed(1)} MiB`} | ${goal} |`;
});

const cpu = cpus();
console.log(
  `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Linux ${release()}`,
);
console.log(
  `median of ${runs} alternating runs; peak memory: the largest of ${MEMORY_RUNS} runs; load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`,
);
console.log('');
console.log('| command | median | ratio to `node -e 0` | peak memory | goal |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
console.log('');
console.log(allMet ? 'All goals met.' : 'A goal is NOT met.');
process.exitCode = allMet ? 0 : 1;
