// Every help page fits an 80-column terminal: the text onboard adds (exit codes, environment, examples) is
// laid out by hand, so a long line would break mid-word there.
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const COMMANDS = [
  [],
  ['test-order'],
  ['sync'],
  ['authorize'],
  ['settings'],
  ['track'],
  ['status'],
  ['connect'],
  ['disconnect'],
  ['orders'],
  ['doctor'],
  ['report'],
  ['completion'],
  ['sandbox', 'serve'],
  ['sandbox', 'reset'],
];

describe('--help at 80 columns', () => {
  it.each(COMMANDS.map((words) => [words.join(' ') || 'onboard', words]))('%s --help has no line over 80 characters', async (_name, words) => {
    const previous = process.stdout.columns;
    Object.defineProperty(process.stdout, 'columns', { value: 80, configurable: true });
    try {
      const result = await cli([...(words as string[]), '--help']);
      expect(result.code).toBe(0);
      const long = result.stdout.split('\n').filter((line) => [...line].length > 80);
      expect(long).toEqual([]);
    } finally {
      Object.defineProperty(process.stdout, 'columns', { value: previous, configurable: true });
    }
  });
});

describe('the help example', () => {
  it('starts with npx onboard when onboard was launched through npx, so it can be pasted', async () => {
    expect((await cli(['--help'], { env: { npm_command: 'exec' } })).stdout).toContain('Try it without any account:  npx onboard test-order --sandbox');
    expect((await cli(['--help'], { env: { npm_command: undefined } })).stdout).toContain('Try it without any account:  onboard test-order --sandbox');
  });
});
