// Summarises a V8 CPU profile (node --cpu-prof) by where the time went: Node's own startup and module loader,
// compiling and running each file of dist/ and node_modules, garbage collection, and idle.
//   node --cpu-prof --cpu-prof-dir=.tmp/prof bin/onboard.js status --json >/dev/null
//   node bench/cpu-summary.mjs .tmp/prof/*.cpuprofile
import { readFileSync } from 'node:fs';

for (const file of process.argv.slice(2)) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // Each sample is charged to the innermost frame that belongs to a file of ours (dist/, bin/, node_modules/),
  // else to the kind of work (GC, idle, program) or to Node's internals.
  const owner = (id) => {
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const url = nodes.get(at).callFrame.url;
      const match = /\/(dist\/.*|bin\/.*|node_modules\/.*)$/.exec(url);
      if (match) return match[1];
    }
    const name = nodes.get(id).callFrame.functionName;
    if (name === '(garbage collector)' || name === '(idle)' || name === '(program)') return name;
    return 'node internals (loader, startup)';
  };
  const totals = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    const us = profile.timeDeltas[i] ?? 0;
    const key = owner(profile.samples[i]);
    totals.set(key, (totals.get(key) ?? 0) + us);
    total += us;
  }
  console.log(`${file}: ${(total / 1000).toFixed(1)} ms profiled`);
  for (const [key, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${key}`);
  }
}
