// Every command onboard prints for the user to paste (advice, hints, "resume with") is built here, from the
// way this invocation was launched: the same world (`--sandbox`), the same profile (`--profile NAME` when it
// came from the flag and is not the default) and the same launcher (`npx onboard` when run through npx).
import { CREATE_FLAGS } from './create-flags.js';

export interface Invocation {
  sandbox: boolean;
  /** the profile named by --profile; null when it came from ONBOARD_PROFILE or is the default */
  profileFlag: string | null;
  /** how the user started onboard: ['onboard'] or ['npx', 'onboard'] */
  launcher: string[];
}

/** Builds a pasteable command line: `commandLine('authorize', '1001', '--yes')` → `onboard authorize 1001 --yes --sandbox`. */
export type CommandLine = (...words: string[]) => string;

/** Quotes a word for a POSIX shell only when it needs it. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./#-]+$/.test(word) && !word.startsWith('#')) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function commandLineFor(invocation: Invocation): CommandLine {
  return (...words: string[]) => {
    const parts = [...invocation.launcher, ...words];
    // `sandbox serve` and `sandbox reset` act on the sandbox by definition
    if (invocation.sandbox && !words.includes('--sandbox') && words[0] !== 'sandbox') parts.push('--sandbox');
    const hasProfile = words.some((word) => word === '--profile' || word.startsWith('--profile='));
    if (invocation.profileFlag && invocation.profileFlag !== 'default' && !hasProfile) parts.push('--profile', invocation.profileFlag);
    return parts.map((word, i) => (i < invocation.launcher.length ? word : shellQuote(word))).join(' ');
  };
}

/** Flags that start another test-order run instead of resuming one (with their values: --order, --scenario, --create's details). */
const STARTS_ANOTHER_RUN = new Set(['--restart', '--create']);
const STARTS_ANOTHER_RUN_WITH_VALUE = new Set<string>(['--order', '--scenario', ...Object.values(CREATE_FLAGS)]);

/**
 * The words of a `test-order` that resumes the run this one started or followed: what the user typed (the same
 * answers, limits and output), without what would start another run.
 */
export function resumeWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i] as string;
    const name = word.split('=')[0] as string;
    if (STARTS_ANOTHER_RUN.has(name)) continue;
    if (STARTS_ANOTHER_RUN_WITH_VALUE.has(name)) {
      if (!word.includes('=')) i += 1;
      continue;
    }
    words.push(word);
  }
  return words;
}

/** The launcher seen from the environment: npm sets npm_command=exec for `npx onboard` and `npm exec onboard`. */
export function launcherFromEnv(env: NodeJS.ProcessEnv): string[] {
  return env.npm_command === 'exec' ? ['npx', 'onboard'] : ['onboard'];
}
