import { describe, expect, it } from 'vitest';
import { createStyle } from '../../src/ui/style.js';

describe('colour', () => {
  it('wraps text in the basic SGR codes when on, and leaves it as it is when off', () => {
    const on = createStyle(true);
    expect(on.green('ok')).toBe('\x1b[32mok\x1b[39m');
    expect(on.red('no')).toBe('\x1b[31mno\x1b[39m');
    expect(on.yellow('!')).toBe('\x1b[33m!\x1b[39m');
    expect(on.cyan('i')).toBe('\x1b[36mi\x1b[39m');
    expect(on.bold('b')).toBe('\x1b[1mb\x1b[22m');
    expect(on.dim('d')).toBe('\x1b[2md\x1b[22m');
    const off = createStyle(false);
    expect(off.red('no') + off.bold('b')).toBe('nob');
  });

  it('keeps the outer style after an inner one of the same kind closes', () => {
    const s = createStyle(true);
    expect(s.red(`a ${s.green('b')} c`)).toBe('\x1b[31ma \x1b[32mb\x1b[39m\x1b[31m c\x1b[39m');
    expect(s.dim(`a ${s.bold('b')} c`)).toBe('\x1b[2ma \x1b[1mb\x1b[22m\x1b[2m c\x1b[22m');
  });
});
