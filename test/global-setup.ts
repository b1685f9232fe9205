// Builds dist/ once before the suite when it is older than src/ (after `npm ci` it is fresh already), so the
// tests that spawn the built binary run what src/ says now.
import { ensureBuilt } from './e2e/built.js';

export default async function setup(): Promise<void> {
  await ensureBuilt();
}
