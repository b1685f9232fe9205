// The layer rules of onboard (README "Architecture"), checked by test/architecture.test.ts in `npm test`.
// The core is inward: it imports only itself and the ports it defines; everything else depends on it.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-inward',
      comment: 'src/core imports only itself: adapters, config, sandbox, UI and the CLI plug into its ports',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'core-uses-no-cli-or-vendor-libraries',
      comment: 'no CLI, terminal, HTTP or storage library in the core',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: 'node_modules/(commander|chalk|ora|@inquirer|axios|conf|proper-lockfile|wrap-ansi|@bomb\\.sh)/' },
    },
    {
      name: 'adapters-speak-only-to-the-core',
      comment: 'a vendor adapter implements core ports; it never reads the configuration, the sandbox, the UI or the CLI',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/(config|sandbox|ui|commands)/|^src/[^/]+\\.ts$', pathNot: '^src/version\\.ts$' },
    },
    {
      name: 'adapters-built-in-one-place',
      comment: 'only the composition root (src/systems.ts) builds vendor adapters, for real systems and the sandbox alike',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(systems\\.ts|adapters/)' },
      to: { path: '^src/adapters/(channels\\.ts|(shopify|woocommerce|bigcommerce|flxpoint)/client\\.ts)$' },
    },
    {
      name: 'config-is-storage',
      comment: 'the configuration store knows files, not vendors, the sandbox, the UI or the CLI',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/(adapters|sandbox|ui|commands)/|^src/[^/]+\\.ts$' },
    },
    {
      name: 'sandbox-is-a-set-of-vendors',
      comment: 'the simulated vendors never reach into the UI or the CLI',
      severity: 'error',
      from: { path: '^src/sandbox/' },
      to: { path: '^src/(ui|commands)/|^src/(program|main|runner|commander|context)\\.ts$' },
    },
    {
      name: 'ui-renders-only',
      comment: 'the UI renders and asks; it builds no adapter and reads no file of the configuration',
      severity: 'error',
      from: { path: '^src/ui/' },
      to: { path: '^src/(adapters|config|sandbox|commands)/' },
    },
    {
      name: 'shipped-code-stands-alone',
      comment: 'nothing shipped imports tests, fakes or benchmarks',
      severity: 'error',
      from: { path: '^(src|bin|scripts)/' },
      to: { path: '^(test|fakes|bench)/' },
    },
    {
      name: 'benchmarks-use-no-tests',
      comment: 'bench/ shares the fakes (fakes/), not test code',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-cycles',
      comment: 'no import cycle in src/',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // type-only imports count: a core that names an adapter's type depends on it
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs'] },
  },
};
