import { describe, expect, it } from 'vitest';
import { commandLineFor, launcherFromEnv, resumeWords, shellQuote } from '../../src/core/command-line.js';

describe('printed commands', () => {
  it('carry --sandbox when the command ran on the sandbox', () => {
    const line = commandLineFor({ sandbox: true, profileFlag: null, launcher: ['onboard'] });
    expect(line('authorize', '1001', '--yes')).toBe('onboard authorize 1001 --yes --sandbox');
    expect(line('sandbox', 'serve')).toBe('onboard sandbox serve');
  });

  it('carry --profile only when it came from the flag and is not the default', () => {
    expect(commandLineFor({ sandbox: false, profileFlag: 'acme', launcher: ['onboard'] })('status')).toBe('onboard status --profile acme');
    expect(commandLineFor({ sandbox: false, profileFlag: 'default', launcher: ['onboard'] })('status')).toBe('onboard status');
    expect(commandLineFor({ sandbox: false, profileFlag: null, launcher: ['onboard'] })('status')).toBe('onboard status');
  });

  it('start with npx onboard when launched through npx', () => {
    expect(launcherFromEnv({ npm_command: 'exec' })).toEqual(['npx', 'onboard']);
    expect(launcherFromEnv({ npm_command: 'run-script' })).toEqual(['onboard']);
    expect(launcherFromEnv({})).toEqual(['onboard']);
    const line = commandLineFor({ sandbox: true, profileFlag: 'acme', launcher: ['npx', 'onboard'] });
    expect(line('settings', '--max', '10.28')).toBe('npx onboard settings --max 10.28 --sandbox --profile acme');
  });

  it('quote words the shell would split or expand', () => {
    expect(shellQuote('$50')).toBe(`'$50'`);
    expect(shellQuote('Standard Shipping')).toBe(`'Standard Shipping'`);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('#1001')).toBe(`'#1001'`);
    expect(shellQuote('portal:42')).toBe('portal:42');
  });
});

describe('resumeWords', () => {
  it('keeps the command as typed and drops what would start another run, with its value in either form', () => {
    const typed = [
      'test-order',
      '--sandbox',
      '--create',
      '--vendor',
      'acme',
      '--ship-zip=12345',
      '--yes',
      '--timeout',
      '0',
      '--scenario',
      'over-limit',
      '--restart',
      '--json',
    ];
    expect(resumeWords(typed)).toEqual(['test-order', '--sandbox', '--yes', '--timeout', '0', '--json']);
    expect(resumeWords(['test-order', '--order', '#1001', '--poll-interval', '30s'])).toEqual(['test-order', '--poll-interval', '30s']);
  });
});
