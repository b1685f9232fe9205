// Summarises V8 CPU profiles (node --cpu-prof) by where the time went: our files (dist/, bin/,
// node_modules/), Node's module loader, Node's own modules loaded on first use, Node's startup, garbage
// collection and idle time (waiting for file reads).
//   node --cpu-prof --cpu-prof-dir=.tmp/prof bin/onboard.js status --json >/dev/null
//   node bench/cpu-summary.mjs .tmp/prof/*.cpuprofile      (several profiles: the mean of each line)
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
const totals = new Map();
let total = 0;
const add = (key, us) => {
  totals.set(key, (totals.get(key) ?? 0) + us / files.length);
  total += us / files.length;
};

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const owner = (id) => {
    const name = nodes.get(id).callFrame.functionName;
    if (name === '(garbage collector)') return 'garbage collection';
    if (name === '(idle)') return 'idle (waiting for reads, timers)';
    if (name === '(program)') return 'V8 outside JavaScript (parsing, compiling)';
    // From the sampled frame outwards: the first of Node's loading machinery or of our files takes the sample.
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = nodes.get(at).callFrame;
      if (/^(compileForInternalLoader|requireBuiltin|compileForPublicLoader)$/.test(frame.functionName)) return "Node's own modules, loaded on first use";
      if (
        /^(loadAndTranslate|getModuleJobForImport|#createModuleJob|link|_link|_instantiate|instantiate|Module\._load|Module\._resolveFilename|Module\._findPath|Module\._compile|wrapSafe|defaultResolve|defaultLoad|compileSourceTextModule|importModuleDynamicallyCallback)$/.test(
          frame.functionName,
        )
      ) {
        return 'module loader (resolve, read, compile, link)';
      }
      const ours = /\/((?:dist|bin)\/.*|node_modules\/(?:@[^/]+\/)?[^/]+)/.exec(frame.url);
      if (ours) return ours[1];
    }
    return 'Node startup and internals';
  };
  for (let i = 0; i < profile.samples.length; i += 1) add(owner(profile.samples[i]), profile.timeDeltas[i] ?? 0);
}
console.log(`${files.length} profile(s), mean ${(total / 1000).toFixed(1)} ms profiled`);
for (const [key, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 14)) {
  console.log(`${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / total).toFixed(0).padStart(3)}%  ${key}`);
}
