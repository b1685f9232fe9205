// The support bundle of `onboard doctor --bundle FILE`: what the onboarding team needs to help (versions, the
// configuration, the checks, the lifecycle records and their last errors), with every secret removed and the
// customer's personal data masked unless --include-customer-data. Written 0600, never over a file without --force.
import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { SECRETS } from '../credentials.js';
import type { DocumentName, Namespace } from '../store.js';
import type { Context } from '../context.js';
import { BadInputError, UsageError } from '../errors.js';
import { collectSecretValues, maskCustomerData, redactSecrets } from '../redact.js';

export interface Check {
  system: string;
  ok: boolean;
  message: string;
  fix?: string;
}

const NAMESPACES: readonly Namespace[] = ['real', 'sandbox'];
/** Event kinds that record something going wrong. */
const ERROR_KINDS = new Set(['problem', 'held', 'tracking_sync_error', 'payment_status', 'order_cancelled', 'portal_status']);
const LAST_ERRORS = 50;
/** Variables shown with their value; the secret ones only as set / not set. */
const PLAIN_ENV = [
  'ONBOARD_CONFIG_DIR',
  'ONBOARD_PROFILE',
  'ONBOARD_NO_INPUT',
  'ONBOARD_SANDBOX_WAIT_MS',
  'XDG_CONFIG_HOME',
  'NO_COLOR',
  'FORCE_COLOR',
  'CI',
  'TERM',
];
const PRESENCE_ENV = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

/** Checks the bundle's target before anything else happens: exit 2 when it exists (without --force) or cannot be written. */
export function prepareBundlePath(file: string, force: boolean): string {
  if (file.trim() === '') throw new BadInputError('--bundle: give a file name');
  const path = resolve(file);
  if (existsSync(path)) {
    if (lstatSync(path).isDirectory())
      throw new BadInputError(`--bundle: ${path} is a directory`, { hint: 'Give a file name, for example onboard-support.json.' });
    if (!force) {
      throw new UsageError(`--bundle: ${path} already exists`, { hint: 'Choose another file name, or pass --force to overwrite it.' });
    }
  }
  const parent = dirname(path);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) {
    throw new BadInputError(`--bundle: the directory ${parent} does not exist`, { hint: 'Create it first, or give a path in an existing directory.' });
  }
  return path;
}

function readRaw(ctx: Context, ns: Namespace, name: DocumentName): unknown {
  const path = ctx.store.filePath(ns, name);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { unreadable: `${path}: ${(error as Error).message}` };
  }
}

function listFiles(root: string): { path: string; mode: string; bytes: number }[] {
  const files: { path: string; mode: string; bytes: number }[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 6 || !existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const stats = lstatSync(path);
      files.push({ path: relative(root, path) || '.', mode: (stats.mode & 0o777).toString(8).padStart(4, '0'), bytes: stats.isFile() ? stats.size : 0 });
      if (entry.isDirectory() && !entry.isSymbolicLink()) walk(path, depth + 1);
    }
  };
  walk(root, 0);
  return files;
}

interface RawRun {
  id?: unknown;
  order?: { number?: unknown; name?: unknown } | null;
  events?: { at?: unknown; kind?: unknown; message?: unknown; evidence?: unknown }[];
}

function lastErrors(records: Record<Namespace, unknown>): unknown[] {
  const errors: { at: string; namespace: Namespace; run: unknown; order: unknown; kind: unknown; message: unknown; evidence: unknown }[] = [];
  for (const ns of NAMESPACES) {
    const runs = (records[ns] as { runs?: RawRun[] } | null)?.runs;
    if (!Array.isArray(runs)) continue;
    for (const run of runs) {
      for (const event of Array.isArray(run.events) ? run.events : []) {
        if (!ERROR_KINDS.has(String(event.kind))) continue;
        errors.push({
          at: String(event.at ?? ''),
          namespace: ns,
          run: run.id ?? null,
          order: run.order?.name ?? null,
          kind: event.kind,
          message: event.message,
          evidence: event.evidence ?? {},
        });
      }
    }
  }
  return errors.sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, LAST_ERRORS);
}

export function buildBundle(ctx: Context, input: { version: string; checks: Check[]; includeCustomerData: boolean }): Record<string, unknown> {
  const configuration: Record<string, unknown> = {};
  const records: Record<Namespace, unknown> = { real: null, sandbox: null };
  const secrets: string[] = [];
  for (const ns of NAMESPACES) {
    const credentials = readRaw(ctx, ns, 'credentials');
    const state = readRaw(ctx, ns, 'state') as { settings?: unknown } | null;
    const server = ns === 'sandbox' ? readRaw(ctx, ns, 'server') : undefined;
    const world = ns === 'sandbox' ? readRaw(ctx, ns, 'world') : undefined;
    // every stored secret (and the sandbox's tokens) is scrubbed wherever else it appears
    secrets.push(...collectSecretValues(credentials), ...collectSecretValues(server), ...collectSecretValues(world));
    configuration[ns] = {
      credentials,
      settings: state?.settings ?? null,
      ...(ns === 'sandbox' ? { server, world: world === null ? null : 'present (not included)' } : {}),
    };
    records[ns] = state;
  }
  const environment: Record<string, string | null> = {};
  for (const name of PLAIN_ENV) environment[name] = ctx.env[name] ?? null;
  for (const name of PRESENCE_ENV) if (ctx.env[name] !== undefined) environment[name] = 'set';
  for (const specs of Object.values(SECRETS)) {
    for (const spec of specs) {
      const value = ctx.env[spec.env];
      if (value) secrets.push(value);
      environment[spec.env] = value ? 'set' : null;
    }
  }

  let recordsPart: unknown = records;
  let errorsPart: unknown = lastErrors(records);
  if (!input.includeCustomerData) {
    const masked = maskCustomerData({ records: recordsPart, lastErrors: errorsPart });
    recordsPart = masked.records;
    errorsPart = masked.lastErrors;
  }
  const bundle = {
    bundle: 'onboard support bundle',
    createdAt: new Date().toISOString(),
    onboard: { version: input.version },
    node: process.version,
    platform: { os: platform(), release: release(), arch: arch() },
    profile: ctx.profile,
    namespace: ctx.namespace,
    configDir: ctx.configRoot,
    customerData: input.includeCustomerData ? 'included' : 'masked',
    environment,
    checks: input.checks,
    configuration,
    files: listFiles(ctx.store.dir),
    records: recordsPart,
    lastErrors: errorsPart,
  };
  return redactSecrets(bundle, { secrets });
}

export function writeBundle(path: string, bundle: unknown, force: boolean): void {
  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  try {
    writeFileSync(path, text, { mode: 0o600, flag: force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`--bundle: ${path} already exists`, { hint: 'Choose another file name, or pass --force to overwrite it.' });
    }
    throw new BadInputError(`--bundle: could not write ${path}: ${(error as Error).message}`);
  }
  // an existing file overwritten with --force keeps its old mode: set it
  chmodSync(path, 0o600);
}
