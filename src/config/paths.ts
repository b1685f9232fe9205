// Where onboard keeps its state: ONBOARD_CONFIG_DIR, else $XDG_CONFIG_HOME/onboard, else ~/.config/onboard.
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { BadInputError } from '../core/errors.js';

/** Always absolute: a relative ONBOARD_CONFIG_DIR is resolved once, against the folder onboard started in. */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.ONBOARD_CONFIG_DIR) return resolve(env.ONBOARD_CONFIG_DIR);
  const xdg = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(xdg, 'onboard');
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Profile names become folder names, so they are checked strictly. */
export function validateProfileName(name: string, from = '--profile'): string {
  if (!PROFILE_NAME.test(name) || name.includes('..')) {
    throw new BadInputError(`${from}: "${name}" is not a valid profile name`, {
      hint: 'Use letters, digits, dot, dash or underscore (up to 64), starting with a letter or digit.',
    });
  }
  return name;
}

export function profileDir(root: string, profile: string): string {
  return join(root, 'profiles', profile);
}

/** The profiles that have a folder under the configuration directory, `default` first. */
export function profileNames(root: string): string[] {
  const dir = join(root, 'profiles');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && PROFILE_NAME.test(e.name) && !e.name.includes('..'))
    .map((e) => e.name)
    .sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
}
