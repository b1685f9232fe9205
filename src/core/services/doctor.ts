// `onboard doctor [--bundle FILE] [--force] [--include-customer-data]`: a runner of checks, each
// {system, ok, message, fix?}: the configuration directory and its modes, then each connected system's
// credential check (which proves reachability too), the pinned Shopify API version, and the Order Manager plan.
// Exit 0 when every check passes, 1 otherwise (the result is printed either way).
import { accessSync, constants, existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { connectionsOf, credentialsSchema, readCredentials, type Connection, type Credentials } from '../credentials.js';
import type { DocumentName } from '../store.js';
import type { CommandLine } from '../command-line.js';
import { stateSchema } from '../lifecycle/record.js';
import type { Context, Systems } from '../context.js';
import { CancelledError, ConfigError, EXIT, OnboardError } from '../errors.js';
import { connectExample, missingSecretMessage, storeSecretsAgain } from '../not-connected.js';
import { PLAN_INTERVAL_MS, SYSTEM_LABELS } from '../ports.js';
import { buildBundle, prepareBundlePath, writeBundle, type Check } from './bundle.js';
import type { CommandOutcome } from './outcome.js';

export type { Check } from './bundle.js';

export interface DoctorOptions {
  bundle: string | null;
  force: boolean;
  includeCustomerData: boolean;
  /** move damaged files aside (each move is reported in its check) */
  fix: boolean;
  /** onboard's version, for the bundle */
  version: string;
}

export interface DoctorResult {
  checks: Check[];
  ok: boolean;
  /** the support bundle's path, when one was written */
  bundle: string | null;
  customerData: 'masked' | 'included' | null;
}

export function nothingConnected(commandLine: CommandLine): Check {
  return {
    system: 'onboard',
    ok: false,
    message: 'nothing connected',
    fix: `${commandLine('test-order', '--sandbox')} (no accounts needed), or ${commandLine('connect', 'SYSTEM')} (SYSTEM: shopify, woocommerce, bigcommerce, flxpoint or inventory-source)`,
  };
}

function quote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}

/** The configuration directory exists as 0700 and every file in it is 0600 (POSIX only). */
export function configurationCheck(root: string, accessFix: (path: string) => string): Check & { access?: false } {
  if (!existsSync(root)) return { system: 'configuration', ok: true, message: `${root} is not created yet (nothing stored)` };
  if (!statSync(root).isDirectory()) {
    return { system: 'configuration', ok: false, message: `${root} is not a directory`, fix: `Move it away, or set ONBOARD_CONFIG_DIR to another directory.` };
  }
  // every folder must be readable, writable and enterable, every file readable and writable, by this user
  const blocked: string[] = [];
  const reachable = (path: string, mode: number) => {
    try {
      accessSync(path, mode);
      return true;
    } catch {
      blocked.push(path);
      return false;
    }
  };
  const DIR_ACCESS = constants.R_OK | constants.W_OK | constants.X_OK;
  const walkAccess = (dir: string, depth: number) => {
    if (depth > 8 || !reachable(dir, DIR_ACCESS)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '.lock' || entry.isSymbolicLink()) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walkAccess(path, depth + 1);
      else if (entry.isFile()) reachable(path, constants.R_OK | constants.W_OK);
    }
  };
  walkAccess(root, 0);
  if (blocked.length > 0) {
    const shown = blocked.slice(0, 3).join(', ') + (blocked.length > 3 ? ` and ${blocked.length - 3} more` : '');
    return { system: 'configuration', ok: false, message: `onboard cannot read or write ${shown}`, fix: accessFix(blocked[0]), access: false };
  }
  if (process.platform === 'win32') return { system: 'configuration', ok: true, message: `${root} (file modes are not checked on Windows)` };

  const loose: string[] = [];
  const rootMode = statSync(root).mode & 0o777;
  if (rootMode !== 0o700) loose.push(`${root} is ${rootMode.toString(8).padStart(4, '0')} (should be 0700)`);
  let files = 0;
  const walk = (dir: string, depth: number) => {
    if (depth > 8) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      // the lock directory comes and goes while a command holds the profile
      if (entry.name === '.lock' || entry.isSymbolicLink()) continue;
      const path = join(dir, entry.name);
      const mode = lstatSync(path).mode & 0o777;
      if (entry.isDirectory()) {
        if ((mode & 0o077) !== 0) loose.push(`${relative(root, path)}/ is ${mode.toString(8).padStart(4, '0')} (should be 0700)`);
        walk(path, depth + 1);
      } else if (entry.isFile()) {
        files += 1;
        if (mode !== 0o600) loose.push(`${relative(root, path)} is ${mode.toString(8).padStart(4, '0')} (should be 0600)`);
      }
    }
  };
  walk(root, 0);
  if (loose.length > 0) {
    const shown = loose.slice(0, 5).join('; ') + (loose.length > 5 ? `; and ${loose.length - 5} more` : '');
    return {
      system: 'configuration',
      ok: false,
      message: `${root}: others can read onboard's state (secrets may be in it): ${shown}`,
      fix: `chmod -R go-rwx ${quote(root)}`,
    };
  }
  return { system: 'configuration', ok: true, message: `${root}: directory 0700, ${files} file${files === 1 ? '' : 's'} 0600` };
}

function failure(system: string, error: unknown, fallbackFix: string): Check {
  // Ctrl-C or SIGTERM during a check ends the command as cancelled, not as a failed check
  if (error instanceof CancelledError) throw error;
  const known = error instanceof OnboardError ? error : null;
  const message = error instanceof Error ? error.message : String(error);
  return { system, ok: false, message, fix: known?.hint ?? fallbackFix };
}

function missingSecretCheck(connection: Connection, credentials: Credentials, commandLine: CommandLine): Check | null {
  const missing = connection.secrets.filter((secret) => secret.source === 'missing');
  if (missing.length === 0) return null;
  const system = connection.system;
  const target =
    system === 'shopify'
      ? ` (${credentials.shopify?.store})`
      : system === 'woocommerce'
        ? ` (${credentials.woocommerce?.url})`
        : system === 'bigcommerce'
          ? ` (store ${credentials.bigcommerce?.storeHash})`
          : '';
  return {
    system,
    ok: false,
    message: missingSecretMessage(
      system,
      missing.map((s) => s.env),
      target,
    ),
    fix: storeSecretsAgain(
      system,
      credentials,
      missing.map((s) => s.env),
      commandLine,
    ),
  };
}

/** The credential's kind and its scopes, with what each missing one is for (never a secret or token). */
async function describeAccess(channel: NonNullable<Systems['channel']>): Promise<string> {
  const access = await channel.access?.();
  if (!access) return '';
  const kind =
    access.credential === 'client_credentials'
      ? '; a Dev Dashboard app (client ID and secret; access tokens renewed automatically)'
      : "; an admin-created app's access token";
  if (access.scopes === null) return `${kind}; the granted scopes could not be read`;
  const notGranted = access.missing.length > 0 ? `; not granted: ${access.missing.map(({ scope, neededFor }) => `${scope} (${neededFor})`).join(', ')}` : '';
  return `${kind}; scopes ${access.scopes.join(', ') || 'none'}${notGranted}`;
}

async function channelCheck(systems: Systems, label: string, sandbox: boolean, commandLine: CommandLine): Promise<Check | null> {
  const channel = systems.channel;
  if (!channel) return null;
  const version = channel.apiVersion ? `; Admin API version ${channel.apiVersion}` : '';
  try {
    const { account } = await channel.check();
    // permissions: the shop call needs no scope, so read one order too (Shopify: read_orders)
    await channel.listOrders({ createdAtMin: new Date(systems.clock.now() - 86_400_000).toISOString(), limit: 1 });
    const access = channel.access ? await describeAccess(channel) : '';
    return {
      system: channel.system,
      ok: true,
      message: `${label}${sandbox ? ' (sandbox)' : ''}: ${account} accepts the credentials and lets them read orders${access}${version}`,
    };
  } catch (error) {
    const check = failure(channel.system, error, `Check the credentials: ${commandLine('connect', channel.system)}`);
    return { ...check, message: `${check.message}${version}` };
  }
}

async function portalCheck(systems: Systems, sandbox: boolean, commandLine: CommandLine): Promise<Check | null> {
  const portal = systems.portal;
  if (!portal) return null;
  try {
    const { account } = await portal.check();
    const email = systems.supplierEmail
      ? `; supplier email ${systems.supplierEmail}`
      : sandbox
        ? ''
        : `; no supplier email stored (step 4's email will leave To empty; add it with ${commandLine('connect', 'flxpoint', '--supplier-email', 'ADDRESS')})`;
    return { system: 'flxpoint', ok: true, message: `Flxpoint${sandbox ? ' (sandbox)' : ''}: ${account} accepts the API token and lists orders${email}` };
  } catch (error) {
    return failure('flxpoint', error, `Check the token: ${connectExample('flxpoint', commandLine)}`);
  }
}

function planCheck(systems: Systems, sandbox: boolean, commandLine: CommandLine): Check {
  const { plan, planAssumed } = systems.orderManager;
  const minutes = PLAN_INTERVAL_MS[plan] / 60_000;
  const every = minutes === 60 ? 'every hour' : `every ${minutes} minutes`;
  if (sandbox) return { system: 'inventory-source', ok: true, message: `sandbox Order Manager on the ${plan} plan: imports ${every}` };
  if (planAssumed) {
    return {
      system: 'inventory-source',
      ok: true,
      message: `no plan stored: basic assumed (imports every hour); if yours is Plus or VIP: ${commandLine('connect', 'inventory-source', '--plan', 'plus')}`,
    };
  }
  return {
    system: 'inventory-source',
    ok: true,
    message: `plan ${plan}: Order Manager imports ${every} (no API to check it: Inventory Source publishes none for Order Sync)`,
  };
}

/**
 * The namespace's files (state, credentials, and on the sandbox the world): each must read as what onboard
 * wrote. A damaged one fails with the fix; with `fix`, it is moved aside (never silently: the check says where).
 */
async function recordsChecks(ctx: Context, fix: boolean, accessReported: boolean): Promise<{ checks: Check[]; blocking: boolean }> {
  const ns = ctx.namespace;
  const checks: Check[] = [];
  let blocking = false;
  const damaged: { name: DocumentName; error: ConfigError }[] = ctx.store.inspect(ns);
  const readers = { state: () => ctx.store.read(ns, 'state', stateSchema), credentials: () => ctx.store.read(ns, 'credentials', credentialsSchema) };
  for (const [name, read] of Object.entries(readers) as [keyof typeof readers, () => unknown][]) {
    if (damaged.some((d) => d.name === name)) continue;
    try {
      read();
    } catch (error) {
      if (error instanceof ConfigError) damaged.push({ name, error });
      else throw error;
    }
  }
  for (const { name, error } of damaged) {
    if (fix && error.kind === 'damaged') {
      const aside = await ctx.store.moveAside(ns, name);
      checks.push({ system: 'configuration', ok: true, message: `${error.message}; moved it aside to ${aside} (onboard starts ${name} afresh)` });
    } else {
      if (name !== 'state') blocking = true;
      // a file the configuration check already named as out of reach is not named twice
      if (error.kind === 'denied' && accessReported) continue;
      checks.push({ system: 'configuration', ok: false, message: error.message, fix: error.hint ?? ctx.store.accessFix(error.path) });
    }
  }
  return { checks, blocking };
}

/** The checks of the connected systems, with a spinner (or a line) while each vendor answers. */
async function systemChecks(ctx: Context): Promise<Check[]> {
  ctx.reporter.waiting('Checking the connected systems');
  try {
    return await checkSystems(ctx);
  } finally {
    ctx.reporter.stopWaiting();
  }
}

async function checkSystems(ctx: Context): Promise<Check[]> {
  const checks: Check[] = [];
  if (ctx.sandbox) {
    let systems: Systems;
    try {
      systems = await ctx.systems();
    } catch (error) {
      return [failure('sandbox', error, `Run it again with --verbose to see each request: ${ctx.commandLine('doctor', '--verbose')}`)];
    }
    for (const check of [await channelCheck(systems, 'Shopify', true, ctx.commandLine), await portalCheck(systems, true, ctx.commandLine)])
      if (check) checks.push(check);
    checks.push(planCheck(systems, true, ctx.commandLine));
    return checks;
  }

  let credentials: Credentials;
  try {
    credentials = readCredentials(ctx.store, 'real');
  } catch (error) {
    return [failure('configuration', error, `Check ${ctx.store.filePath('real', 'credentials')}, then connect again.`)];
  }
  const connections = connectionsOf(credentials, ctx.env);
  if (connections.length === 0) return [nothingConnected(ctx.commandLine)];
  let systems: Systems;
  try {
    systems = await ctx.systems();
  } catch (error) {
    return [failure('configuration', error, `Connect each system again: ${ctx.commandLine('connect', 'SYSTEM')}`)];
  }
  for (const connection of connections) {
    const system = connection.system;
    if (system === 'inventory-source') continue;
    const missing = missingSecretCheck(connection, credentials, ctx.commandLine);
    if (missing) {
      checks.push(missing);
      continue;
    }
    const where =
      system === 'shopify'
        ? credentials.shopify?.store
        : system === 'woocommerce'
          ? credentials.woocommerce?.url
          : system === 'bigcommerce'
            ? `store ${credentials.bigcommerce?.storeHash}`
            : null;
    const check =
      system === 'flxpoint'
        ? await portalCheck(systems, false, ctx.commandLine)
        : await channelCheck(systems, `${SYSTEM_LABELS[system]} (${where})`, false, ctx.commandLine);
    if (check) {
      const fromEnv = connection.secrets.filter((secret) => secret.source === 'env').map((secret) => secret.env);
      if (check.ok && fromEnv.length > 0) check.message += `; the secret comes from ${fromEnv.join(', ')}`;
      checks.push(check);
    }
  }
  // The test order needs a store and the dealer portal: a missing one is a finding, not a pass.
  const connected = new Set(connections.map((c) => c.system));
  if (!['shopify', 'woocommerce', 'bigcommerce'].some((system) => connected.has(system as never))) {
    checks.push({
      system: 'channel',
      ok: false,
      message: 'no sales channel is connected',
      fix: `${connectExample('shopify', ctx.commandLine)} (a Dev Dashboard app's client secret on stdin, or ONBOARD_SHOPIFY_CLIENT_SECRET)`,
    });
  }
  if (!connected.has('flxpoint')) {
    checks.push({ system: 'flxpoint', ok: false, message: 'the dealer portal (Flxpoint) is not connected', fix: connectExample('flxpoint', ctx.commandLine) });
  }
  checks.push(planCheck(systems, false, ctx.commandLine));
  return checks;
}

export async function runDoctor(ctx: Context, options: DoctorOptions): Promise<CommandOutcome<DoctorResult>> {
  // the bundle's target is checked before anything else happens
  const bundlePath = options.bundle === null ? null : prepareBundlePath(options.bundle, options.force);
  const configuration = configurationCheck(ctx.configRoot, (path) => ctx.store.accessFix(path));
  const outOfReach = configuration.access === false;
  delete configuration.access;
  const { checks: records, blocking } = await recordsChecks(ctx, options.fix, outOfReach);
  // the systems are checked through the stored connections (and the sandbox world): not while those are damaged
  // or out of reach, which would only fail again for the same cause
  const checks: Check[] = [configuration, ...records, ...(blocking || outOfReach ? [] : await systemChecks(ctx))];
  const ok = checks.every((check) => check.ok);
  if (bundlePath) {
    const bundle = buildBundle(ctx, { version: options.version, checks, includeCustomerData: options.includeCustomerData });
    writeBundle(bundlePath, bundle, options.force);
  }
  return {
    result: { checks, ok, bundle: bundlePath, customerData: bundlePath ? (options.includeCustomerData ? 'included' : 'masked') : null },
    exitCode: ok ? EXIT.ok : EXIT.failed,
  };
}
