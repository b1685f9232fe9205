// The layer rules (.dependency-cruiser.cjs, README "Architecture") hold for the tree, and they do catch a
// violation: a throwaway tree with a core that imports the configuration and a cycle must fail them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

function cruise(cwd: string, paths: string[]) {
  const run = spawnSync(DEPCRUISE, [...paths, '--config', CONFIG, '--output-type', 'err'], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('architecture', () => {
  it('keeps every layer rule: an inward core, no cycle in src/, nothing shipped importing tests or fakes', () => {
    const { status, output } = cruise(ROOT, ['src', 'bin', 'scripts', 'bench', 'fakes']);
    expect(output).not.toMatch(/error /);
    expect(status).toBe(0);
  }, 120_000);

  it('fails a core that imports the configuration, an adapter reading the sandbox, and a cycle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-layers-'));
    for (const folder of ['src/core', 'src/config', 'src/adapters', 'src/sandbox']) mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } }));
    writeFileSync(join(dir, 'src/core/a.ts'), "import { b } from './b.js';\nimport { store } from '../config/store.js';\nexport const a = () => b + store;\n");
    writeFileSync(join(dir, 'src/core/b.ts'), "import { a } from './a.js';\nexport const b = typeof a;\n");
    writeFileSync(join(dir, 'src/config/store.ts'), "export const store = 'x';\n");
    writeFileSync(join(dir, 'src/sandbox/world.ts'), 'export const world = 1;\n');
    writeFileSync(join(dir, 'src/adapters/shop.ts'), "import { world } from '../sandbox/world.js';\nexport const shop = world;\n");
    const { status, output } = cruise(dir, ['src']);
    expect(status).not.toBe(0);
    expect(output).toMatch(/core-is-inward: src\/core\/a\.ts → src\/config\/store\.ts/);
    expect(output).toMatch(/adapters-speak-only-to-the-core: src\/adapters\/shop\.ts → src\/sandbox\/world\.ts/);
    expect(output).toMatch(/no-cycles: src\/core\/a\.ts/);
  }, 120_000);
});
