// Shell completion as a person gets it: the README's install command for bash, run in a fresh HOME with
// `onboard` on PATH (as `npm install -g` puts it), then bash-completion loads the script on first use and
// the registered completion function answers Tab for commands, flags and their values.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';
import { BIN, ROOT } from '../e2e/built.js';

const BASH_COMPLETION = '/usr/share/bash-completion/bash_completion';
const hasBashCompletion = existsSync(BASH_COMPLETION);
const SKIP_REASON = `SKIPPED: ${BASH_COMPLETION} is missing (install it with: apt-get install -y bash-completion; .ci/run does)`;
if (!hasBashCompletion) console.warn(`[bash completion test] ${SKIP_REASON}`);

/** The bash install command exactly as the README documents it. */
function documentedInstall(): string {
  const line = readFileSync(join(ROOT, 'README.md'), 'utf8')
    .split('\n')
    .find((l) => l.includes('onboard completion bash'));
  if (!line) throw new Error('the README documents no `onboard completion bash` install command');
  return line.trim();
}

let home: string;
let configDir: string;
let env: NodeJS.ProcessEnv;

function bash(script: string) {
  return spawnSync('bash', ['--norc', '--noprofile', '-c', script], { env, encoding: 'utf8', timeout: 220_000 });
}

/** Presses Tab after each line (as bash-completion does) in one shell; returns each line's candidates. */
function tabs(...lines: string[]): string[][] {
  const presses = lines.map((line) => `press ${JSON.stringify(line)}; echo '<<end>>'`).join('\n');
  const result = bash(`
    source ${BASH_COMPLETION}
    __load_completion onboard 2>/dev/null || _completion_loader onboard
    spec=$(complete -p onboard) || { echo "no completion registered for onboard" >&2; exit 3; }
    fn=$(sed -E 's/.*-F ([^ ]+).*/\\1/' <<< "$spec")
    press() {
      COMP_LINE="$1"
      COMP_POINT=\${#COMP_LINE}
      read -ra COMP_WORDS <<< "$COMP_LINE"
      [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
      COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
      COMPREPLY=()
      "$fn" onboard "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
      [ \${#COMPREPLY[@]} -gt 0 ] && printf '%s\\n' "\${COMPREPLY[@]}"
    }
    ${presses}
  `);
  expect(result.status, result.stderr).toBe(0);
  const answers = result.stdout.split('<<end>>\n').slice(0, lines.length);
  expect(answers).toHaveLength(lines.length);
  return answers.map((a) => a.split('\n').filter(Boolean));
}

describe.skipIf(!hasBashCompletion)(hasBashCompletion ? 'bash completion' : `bash completion — ${SKIP_REASON}`, () => {
  beforeAll(async () => {
    home = tempConfigDir('onboard-home-');
    configDir = tempConfigDir();
    const bin = join(home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'onboard'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(bin, 'onboard'), 0o755);
    env = { HOME: home, PATH: `${bin}:${process.env.PATH}`, ONBOARD_CONFIG_DIR: configDir, TERM: 'dumb' };
    // a profile with a tracked sandbox order
    expect((await cli(['test-order', '--sandbox', '--profile', 'acme-outdoors', '--yes', '--timeout', '0'], { configDir })).code).toBe(8);
    const install = bash(documentedInstall());
    expect(install.status, install.stderr).toBe(0);
    expect(existsSync(join(home, '.local/share/bash-completion/completions/onboard'))).toBe(true);
  }, 240_000);
  afterAll(() => removeTempDirs());

  it('completes commands, flags (global ones too) and their values, and the profiles and orders that exist', { timeout: 240_000 }, () => {
    const [rep, sandbox, reportF, trackSand, over, formats, profiles, orders] = tabs(
      'onboard rep',
      'onboard sandbox ',
      'onboard report --f',
      'onboard track 1001 --sand',
      'onboard test-order --sandbox --scenario over',
      'onboard report --format ',
      'onboard status --profile ',
      'onboard report --sandbox --profile acme-outdoors ',
    );
    expect(rep).toEqual(['report']);
    expect(sandbox?.sort()).toEqual(['reset', 'serve']);
    expect(reportF?.sort()).toEqual(['--force', '--format']);
    expect(trackSand).toEqual(['--sandbox']);
    expect(over).toEqual(['over-limit']);
    expect(formats?.sort()).toEqual(['html', 'json', 'markdown']);
    expect(profiles).toEqual(['acme-outdoors']);
    expect(orders).toEqual(['1001']);
  });
});
