// The fakes under fakes/ are shared by the tests and the benchmarks (bench/), so neither fakes/ nor bench/
// may import from test/: a benchmark run must not depend on test files. The Shopify and Flxpoint fakes are the
// sandbox's protocol code (src/sandbox/protocols) over memory, so the sandbox and the tests share one protocol.
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

  it("the Shopify and Flxpoint fakes serve the sandbox's protocol code, and so does the sandbox", () => {
    const source = (path: string) => readFileSync(join(ROOT, path), 'utf8');
    expect(source('fakes/shopify.ts')).toContain("from '../src/sandbox/protocols/shopify.js'");
    expect(source('fakes/flxpoint.ts')).toContain("from '../src/sandbox/protocols/flxpoint.js'");
    expect(source('src/sandbox/server.ts')).toContain("from './protocols/shopify.js'");
    expect(source('src/sandbox/server.ts')).toContain("from './protocols/flxpoint.js'");
    // the protocols' own code, not a second copy: no listing, cursor or parameter rule written in the server
    expect(source('src/sandbox/server.ts')).not.toMatch(/page_info|orderUpdatedAt|filterPageSize/);
  });
});
