// Every command onboard prints for the user to paste (advice, hints, "resume with") is built here, from the
// way this invocation was launched: the same world (`--sandbox`), the same profile (`--profile NAME` when it
// came from the flag and is not the default) and the same launcher (`npx onboard` when run through npx).

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

/** The launcher seen from the environment: npm sets npm_command=exec for `npx onboard` and `npm exec onboard`. */
export function launcherFromEnv(env: NodeJS.ProcessEnv): string[] {
  return env.npm_command === 'exec' ? ['npx', 'onboard'] : ['onboard'];
}
