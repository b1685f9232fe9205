// The Flxpoint fake moved to fakes/flxpoint.ts (shared with bench/); this re-export keeps the imports of test
// files owned by other changes working until they import it from there.
export * from '../../fakes/flxpoint.js';
