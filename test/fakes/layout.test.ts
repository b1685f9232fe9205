// The fakes under fakes/ are shared by the tests and the benchmarks (bench/), so neither fakes/ nor bench/
// may import from test/: a benchmark run must not depend on test files.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function importsFromTest(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(ts|mjs|js)$/.test(name))
    .flatMap((name) =>
      [...readFileSync(join(ROOT, folder, name), 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)]
        .map((match) => match[1] as string)
        .filter((specifier) => specifier.startsWith('.') && relative(ROOT, resolve(dirname(join(ROOT, folder, name)), specifier)).startsWith('test/'))
        .map((specifier) => `${folder}/${name}: ${specifier}`),
    );
}

describe('shared fakes', () => {
  it('bench/ and fakes/ import nothing from test/', () => {
    expect(importsFromTest('bench')).toEqual([]);
    expect(importsFromTest('fakes')).toEqual([]);
  });

  it('the check sees an import from test/', () => {
    expect(importsFromTest('test/fakes').length + importsFromTest('test/portal').length).toBeGreaterThan(0);
  });
});
