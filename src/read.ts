// The reading commands scripts call in loops (status, settings) with the runner: the build makes this one
// CommonJS file, dist/read.cjs, with all of onboard's code those commands can reach (what they reach only
// through import() is evaluated only then), so they load one file and never start Node's ES module loader.
// Packages come from dist/vendor/ (scripts/build.mjs).
export { runCommand } from './runner.js';
export { default as status } from './commands/status.js';
export { default as settings } from './commands/settings.js';
