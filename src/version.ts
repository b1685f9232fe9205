// onboard's version. package.json's "version" is the one source: scripts/build.mjs and the vitest configs put it
// in place of __ONBOARD_VERSION__ (esbuild's and Vite's `define`), so nothing else writes it by hand.
declare const __ONBOARD_VERSION__: string;

export const VERSION: string = __ONBOARD_VERSION__;
