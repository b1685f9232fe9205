#!/usr/bin/env node
// Builds dist/ with esbuild: one ESM bundle of src/ and its dependencies, split at every dynamic import() so
// that each command loads only its own code (`onboard --help` loads dist/main.js and nothing else).
// Usage: node scripts/build.mjs [--metafile]   (npm run build; `npm install` runs it through `prepare`)
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');

rmSync(outdir, { recursive: true, force: true });

// State and credentials are read with `zod/mini`; adapters and the sandbox use full zod. Both import the same
// zod core files, and a split build puts a file shared by two graphs into one chunk with everything either
// needs, so the readers would load the 700 KB full zod needs. This plugin gives the `zod/mini` graph its own
// copy of those files (the same paths, marked with a suffix), tree-shaken to the few functions the readers use
// (about 40 KB). A command that uses both loads the small copy as well: a few milliseconds.
const ownZodMini = {
  name: 'own-zod-mini',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.resolving || (args.path !== 'zod/mini' && !args.pluginData?.zodMini)) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { resolving: true } });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, suffix: '?zod-mini', sideEffects: resolved.sideEffects, pluginData: { zodMini: true } };
    });
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (args.suffix !== '?zod-mini') return undefined;
      return { contents: readFileSync(args.path, 'utf8'), loader: 'js', resolveDir: dirname(args.path), pluginData: { zodMini: true } };
    });
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: [
    'src/main.ts',
    // Loaded on their own by test/config/store.test.ts's child processes (several processes, one lock).
    'src/config/store.ts',
    'src/core/lifecycle/record.ts',
  ],
  outbase: 'src',
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  plugins: [ownZodMini],
  metafile: true,
  write: false,
  logLevel: 'warning',
});

// Bundled CommonJS dependencies (commander, proper-lockfile…) require() Node's own modules through esbuild's
// `__require` helper, which lives in one chunk and needs a `require` in scope there. Only that chunk gets one:
// a createRequire() in every chunk costs each command a little, and enough of them get fileURLToPath
// optimized by V8 in the background, which delays exit and adds 3 MB of peak memory.
const REQUIRE = "import { createRequire as __onboardCreateRequire } from 'node:module';\nconst require = __onboardCreateRequire(import.meta.url);\n";
for (const file of result.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.text.includes('typeof require !== "undefined"') ? REQUIRE + file.text : file.contents);
}
if (process.argv.includes('--metafile')) mkdirSync(join(root, '.tmp'), { recursive: true }), writeFileSync(join(root, '.tmp', 'build-meta.json'), JSON.stringify(result.metafile));
