#!/usr/bin/env node
// Builds dist/ with esbuild (src/ and its dependencies, bundled; Node 20):
//   dist/help.cjs    the help pages, laid out from the command table at build time, and their writer: what
//                    `onboard [COMMAND] --help` loads (bin/onboard.js is CommonJS: no ES module loader).
//   dist/main.cjs    the command table: src/main.ts, src/program.ts and commander, as one CommonJS file.
//   dist/runner.js, dist/commands/*.js
//                    everything a command runs, as ES modules split at every dynamic import(): each command
//                    loads only its own code, and axios, full zod, conf, ora and @inquirer only when it uses them.
//                    dist/main.cjs imports the runner and the command's module when a command runs.
// Usage: node scripts/build.mjs [--metafile]   (npm run build; `npm install` runs it through `prepare`)
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');
// package.json's version is onboard's one version source (src/version.ts).
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const common = { absWorkingDir: root, define: { __ONBOARD_VERSION__: JSON.stringify(version) }, bundle: true, platform: 'node', target: 'node20', legalComments: 'none', metafile: true, logLevel: 'warning' };

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

// commander requires node:child_process at load, only to run executable subcommands, which onboard has none
// of; loading it (with net and stream) is a measurable part of `--help`. It is required on first use instead.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (/[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: "let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

const commands = await build({
  ...common,
  entryPoints: [
    'src/runner.ts',
    // Each command's module, imported by the command table (dist/main.cjs) when the command runs.
    ...readdirSync(join(root, 'src', 'commands'))
      .filter((name) => name.endsWith('.ts') && name !== 'types.ts')
      .map((name) => `src/commands/${name}`),
  ],
  outbase: 'src',
  outdir,
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [ownZodMini],
  write: false,
});

// Bundled CommonJS dependencies (proper-lockfile, axios's…) require() Node's own modules through esbuild's
// `__require` helper, which lives in one chunk and needs a `require` in scope there. Only that chunk gets one:
// a createRequire() in every chunk costs each command a little, and enough of them get fileURLToPath
// optimized by V8 in the background, which delays exit and adds 3 MB of peak memory.
const REQUIRE = "import { createRequire as __onboardCreateRequire } from 'node:module';\nconst require = __onboardCreateRequire(import.meta.url);\n";
for (const file of commands.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.text.includes('typeof require !== "undefined"') ? REQUIRE + file.text : file.contents);
}

// The store on its own, for test/config/store.test.ts's child processes (several processes, one lock). A
// separate build: as entry points of the build above they would split its chunks further (each file a command
// loads costs it a resolve, an asynchronous read and a link).
await build({
  ...common,
  entryPoints: ['src/config/store.ts', 'src/core/lifecycle/record.ts'],
  outbase: 'src',
  outdir,
  format: 'esm',
  plugins: [ownZodMini],
  banner: { js: REQUIRE },
  metafile: false,
});

const table = await build({
  ...common,
  entryPoints: ['src/main.ts'],
  outfile: join(outdir, 'main.cjs'),
  format: 'cjs',
  plugins: [
    lazyChildProcess,
    // The runner and the commands stay the ES modules built above, imported when a command runs.
    { name: 'commands-apart', setup: (b) => b.onResolve({ filter: /^\.\/(runner|commands\/[a-z-]+)\.js$/ }, (args) => ({ path: args.path, external: true })) },
  ],
});
if (!readFileSync(join(outdir, 'main.cjs'), 'utf8').includes('import("./runner.js")')) throw new Error('dist/main.cjs should import ./runner.js when a command runs');

// dist/help.cjs: the help pages without commander. Their layouts (every term and description, the text added
// around them) are asked of commander now, from the command table, and stored with the small writer of
// src/help-text.ts; bin/onboard.js loads it for `onboard [COMMAND…] --help` and loads dist/main.cjs otherwise.
const scratch = mkdtempSync(join(tmpdir(), 'onboard-build-'));
try {
  await build({ ...common, entryPoints: ['src/help-layout.ts'], outfile: join(scratch, 'help-layout.cjs'), format: 'cjs', metafile: false });
  const { helpLayouts } = createRequire(import.meta.url)(join(scratch, 'help-layout.cjs'));
  await build({
    ...common,
    stdin: {
      contents: `import { printHelp } from './src/help-text.ts';\nconst layouts = ${JSON.stringify(helpLayouts())};\nmodule.exports = (argv, env, stdout) => printHelp(layouts, argv, env, stdout);\n`,
      resolveDir: root,
      sourcefile: 'help-pages.js',
    },
    outfile: join(outdir, 'help.cjs'),
    format: 'cjs',
    metafile: false,
  });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (process.argv.includes('--metafile')) {
  mkdirSync(join(root, '.tmp'), { recursive: true });
  writeFileSync(join(root, '.tmp', 'build-meta.json'), JSON.stringify({ commands: commands.metafile, table: table.metafile }));
}
