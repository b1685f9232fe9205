// Module load trace: which files a command loads, in order, with their sizes.
//   node --import ./bench/trace-loads.mjs bin/onboard.js status --json >/dev/null
// Prints one line per loaded file (ESM and CommonJS) on stderr, then the totals.
import { register, Module } from 'node:module';
import { statSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const start = process.hrtime.bigint();
let files = 0;
let bytes = 0;
const seen = new Set();
function note(path) {
  if (seen.has(path)) return;
  seen.add(path);
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    return;
  }
  files += 1;
  bytes += size;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  writeSync(2, `load ${ms.toFixed(1).padStart(7)} ms ${String(size).padStart(8)} B  ${path.replace(`${process.cwd()}/`, '')}\n`);
}

// ESM: a resolve hook on the loader thread reports each file:// URL back through a message port.
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => note(fileURLToPath(url)));
port1.unref();
const hooks = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.startsWith('file:')) port.postMessage(result.url);
  return result;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { port: port2 }, transferList: [port2] });

// CommonJS: every require() that reaches a file.
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const exported = load.apply(this, arguments);
  try {
    note(Module._resolveFilename(request, parent, isMain));
  } catch {}
  return exported;
};

process.on('exit', () => {
  writeSync(2, `total: ${files} files, ${(bytes / 1024).toFixed(0)} KiB\n`);
});
