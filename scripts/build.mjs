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
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');
// package.json's version is onboard's one version source (src/version.ts).
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const common = {
  absWorkingDir: root,
  define: { __ONBOARD_VERSION__: JSON.stringify(version) },
  bundle: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};

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
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
    );
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
      .filter((name) => name.endsWith('.ts') && name !== 'types.ts' && name !== 'index.ts')
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
function writeOutputs(files) {
  for (const file of files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.text.includes('typeof require !== "undefined"') ? REQUIRE + file.text : file.contents);
  }
}
writeOutputs(commands.outputFiles);

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

// dist/read.cjs: status and settings with the runner (src/read.ts), CommonJS, not split: they load one file
// and never start the ES module loader. All of onboard's code they can reach is in it, so every class and
// module-level value exists once in their process; what they reach only through import() (the sandbox and the
// adapters, for settings --sandbox) is evaluated only then. Packages are not in it: a package imported
// statically comes from dist/vendor/NAME.cjs (its own CommonJS bundle, required when the module that imports it
// is evaluated), one imported with import() from dist/vendor/NAME.js (ES modules, split, loaded then).
const vendorRequired = new Set();
const vendorLate = new Set();
const vendorName = (pkg) => pkg.replace(/^@/, '').replaceAll('/', '-');
const readCommands = await build({
  ...common,
  entryPoints: ['src/read.ts'],
  outfile: join(outdir, 'read.cjs'),
  format: 'cjs',
  // less text to parse (a few milliseconds); names are kept, so error classes and stack traces read the same
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [
    {
      // status, settings and settings' plain reads build no systems and check no scenario: src/main.ts sends
      // `settings --sandbox` and any --scenario to the split build, so the adapters and the sandbox (most of the
      // code) are left out of this file rather than parsed on every call
      name: 'no-systems-in-read',
      setup(b) {
        b.onResolve({ filter: /^\.\/(systems|sandbox\/world)\.js$/ }, (args) =>
          /[\\/]src[\\/]context\.ts$/.test(args.importer) ? { path: args.path, namespace: 'not-in-read' } : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'not-in-read' }, (args) => ({
          contents: `throw new Error(${JSON.stringify(`dist/read.cjs leaves out ${args.path}: src/main.ts routes commands that need it to the split build`)});`,
          loader: 'js',
        }));
      },
    },
    {
      name: 'packages-from-vendor',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          // zod/mini is small and tree-shaken: bundled
          if (args.path === 'zod/mini' || isBuiltin(args.path) || /[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
          if (args.kind === 'dynamic-import') {
            vendorLate.add(args.path);
            return { path: `./vendor/${vendorName(args.path)}.js`, external: true };
          }
          vendorRequired.add(args.path);
          return { path: `./vendor/${vendorName(args.path)}.cjs`, external: true };
        });
      },
    },
  ],
});
for (const pkg of vendorRequired) {
  await build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: root, sourcefile: `vendor-${vendorName(pkg)}.js` },
    outfile: join(outdir, 'vendor', `${vendorName(pkg)}.cjs`),
    format: 'cjs',
    metafile: false,
  });
}
const vendor = await build({
  ...common,
  entryPoints: [...vendorLate].map((pkg) => ({ in: pkg, out: vendorName(pkg) })),
  outdir: join(outdir, 'vendor'),
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  write: false,
  metafile: false,
});
writeOutputs(vendor.outputFiles);

const table = await build({
  ...common,
  entryPoints: ['src/main.ts'],
  outfile: join(outdir, 'main.cjs'),
  format: 'cjs',
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [
    lazyChildProcess,
    // The runner and the commands stay the ES modules built above, imported when a command runs.
    {
      name: 'commands-apart',
      setup: (b) => {
        b.onResolve({ filter: /^\.\/runner\.js$/ }, (args) => ({ path: args.path, external: true }));
        // src/commands/index.ts (bundled here) names each command's module: each stays its own file
        b.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) =>
          /[\\/]src[\\/]commands[\\/]index\.ts$/.test(args.importer) ? { path: `./commands/${args.path.slice(2)}`, external: true } : undefined,
        );
      },
    },
    { name: 'read-apart', setup: (b) => b.onResolve({ filter: /^\.\/read\.js$/ }, () => ({ path: './read.cjs', external: true })) },
  ],
  write: false,
});
// dist/read.cjs is required, not imported: import() of a CommonJS file would start the ES module loader.
const tableText = table.outputFiles[0].text.replace('import("./read.cjs")', 'Promise.resolve().then(() => require("./read.cjs"))');
if (!tableText.includes('require("./read.cjs")')) throw new Error('dist/main.cjs should require ./read.cjs for status and settings');
writeFileSync(join(outdir, 'main.cjs'), tableText);
if (!readFileSync(join(outdir, 'main.cjs'), 'utf8').includes('import("./runner.js")'))
  throw new Error('dist/main.cjs should import ./runner.js when a command runs');

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
  writeFileSync(join(root, '.tmp', 'build-meta.json'), JSON.stringify({ commands: commands.metafile, read: readCommands.metafile, table: table.metafile }));
}
