// `onboard connect <system>` and `onboard disconnect <system>`. Flags are validated in full before anything is
// read from stdin, called or stored; the credential is checked against the system (unless --no-check) before
// it is stored; secrets from the environment are used for the check and never stored.
import { commandLineFor, type CommandLine } from '../command-line.js';
import type { Adapters, Context } from '../context.js';
import {
  CHANNEL_SYSTEMS,
  PLANS,
  SECRETS,
  credentialsSchema,
  isChannelSystem,
  secretSpecsOf,
  storedTargetFlags,
  type ChannelCredentials,
  type Credentials,
  type SecretSpec,
} from '../credentials.js';
import { validateBaseUrl } from '../inputs.js';
import type { Namespace } from '../store.js';
import { AuthRejectedError, BadInputError, EXIT, OnboardError, UsageError } from '../errors.js';
import { connectExample } from '../not-connected.js';
import { PLAN_INTERVAL_MS, SYSTEM_LABELS, SYSTEM_NAMES, type ChannelAccess, type ChannelSystem, type Plan, type SystemName } from '../ports.js';
import type { CommandOutcome } from './outcome.js';

/** The connect flags as commander parses them (camelCase). */
export interface ConnectFlags {
  store?: unknown;
  token?: unknown;
  clientId?: unknown;
  clientSecret?: unknown;
  url?: unknown;
  consumerKey?: unknown;
  consumerSecret?: unknown;
  storeHash?: unknown;
  portalUrl?: unknown;
  supplierEmail?: unknown;
  plan?: unknown;
  apiUrl?: unknown;
  tokenStdin?: unknown;
  /** false with --no-check */
  check?: unknown;
}

type ValueFlag =
  'store' | 'token' | 'clientId' | 'clientSecret' | 'url' | 'consumerKey' | 'consumerSecret' | 'storeHash' | 'portalUrl' | 'supplierEmail' | 'plan' | 'apiUrl';

const FLAG: Record<ValueFlag, string> = {
  store: '--store',
  token: '--token',
  clientId: '--client-id',
  clientSecret: '--client-secret',
  url: '--url',
  consumerKey: '--consumer-key',
  consumerSecret: '--consumer-secret',
  storeHash: '--store-hash',
  portalUrl: '--portal-url',
  supplierEmail: '--supplier-email',
  plan: '--plan',
  apiUrl: '--api-url',
};

/** The flags each system takes (secrets included), in the order the help shows them. */
const TAKES: Record<SystemName, ValueFlag[]> = {
  shopify: ['store', 'clientId', 'clientSecret', 'token', 'apiUrl'],
  woocommerce: ['url', 'consumerKey', 'consumerSecret'],
  bigcommerce: ['storeHash', 'token', 'apiUrl'],
  flxpoint: ['token', 'portalUrl', 'supplierEmail', 'apiUrl'],
  'inventory-source': ['plan'],
};

/** The non-secret flags each system needs. */
const NEEDS: Record<SystemName, ValueFlag[]> = {
  shopify: ['store'],
  woocommerce: ['url'],
  bigcommerce: ['storeHash'],
  flxpoint: [],
  'inventory-source': ['plan'],
};

/** Printed commands when the caller has no invocation to copy (tests, library use). */
const PLAIN_COMMAND_LINE = commandLineFor({ sandbox: false, profileFlag: null, launcher: ['onboard'] });

/** The time --token-stdin waits for stdin to be closed. */
export const STDIN_TIMEOUT_MS = 30_000;

export function parseSystem(name: string | undefined): SystemName {
  const text = (name ?? '').trim().toLowerCase();
  if (!(SYSTEM_NAMES as readonly string[]).includes(text)) {
    throw new UsageError(`Unknown system "${name ?? ''}"`, { hint: `Systems: ${SYSTEM_NAMES.join(', ')}.` });
  }
  return text as SystemName;
}

type SecretSource = 'argv' | 'stdin' | 'env';

export interface PlannedSecret {
  spec: SecretSpec;
  source: SecretSource;
  value: string | null;
}

/** A validated connect: what to check and store, and which secrets still come from stdin. */
export interface ConnectPlan {
  system: SystemName;
  namespace: Namespace;
  /** the non-secret fields to store (validated, normalized) */
  fields: Record<string, string>;
  secrets: PlannedSecret[];
  check: boolean;
  warnings: string[];
  /** how many lines --token-stdin must give */
  stdinLines: number;
}

function given(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text === '' ? null : text;
}

const SHOPIFY_STORE = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[A-Za-z]{2,}$/;
const STORE_HASH = /^[a-z0-9]{1,32}$/i;
const CLIENT_ID = /^[A-Za-z0-9._-]{8,128}$/;

function shopifyStore(text: string): string {
  const store = text
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  if (!SHOPIFY_STORE.test(store)) {
    throw new BadInputError(`--store: "${text}" is not a myshopify.com address`, {
      hint: "Give the store's NAME.myshopify.com address (Shopify admin → Settings → Domains), not its custom domain.",
    });
  }
  return store;
}

/** Validates every flag before anything happens: flags that do not apply, missing flags (each named), bad values. */
export async function planConnect(
  system: SystemName,
  flags: ConnectFlags,
  context: { env: NodeJS.ProcessEnv; sandbox: boolean; commandLine?: CommandLine; adapters: Pick<Adapters, 'sandboxStoreDomain'> },
): Promise<ConnectPlan> {
  const { env, sandbox } = context;
  const commandLine = context.commandLine ?? PLAIN_COMMAND_LINE;
  const sandboxExample =
    system === 'flxpoint'
      ? commandLine('connect', 'flxpoint', '--sandbox', '--api-url', 'URL', '--token', 'T')
      : commandLine('connect', 'shopify', '--sandbox', '--api-url', 'URL', '--client-id', 'ID', '--client-secret', 'S');
  const sandboxServer = `Run ${commandLine('sandbox', 'serve')} and pass the url and the ${system === 'flxpoint' ? 'Flxpoint token' : 'Shopify client id and secret (or token)'} it prints: ${sandboxExample}`;
  // the sandbox's credentials are not secrets and never come from the real stores' variables: say so when one is set
  const ignoredEnv = (name: string) => (sandbox && given(env[name]) ? `; the sandbox does not read ${name}` : '');
  const check = flags.check !== false;
  const tokenStdin = flags.tokenStdin === true;
  const value = (flag: ValueFlag) => given(flags[flag]);

  if (sandbox && system !== 'shopify' && system !== 'flxpoint') {
    throw new UsageError(`connect ${system} --sandbox: the sandbox needs no connect for ${system}`, {
      hint: `Only the Shopify and Flxpoint credentials that sandbox serve prints can be stored. ${sandboxServer}`,
    });
  }

  // 1. flags that do not apply to this system
  const names = (Object.keys(FLAG) as ValueFlag[]).filter((flag) => !TAKES[system].includes(flag) && flags[flag] !== undefined).map((flag) => FLAG[flag]);
  if (tokenStdin && SECRETS[system].length === 0) names.push('--token-stdin');
  // Shopify: a Dev Dashboard app (--client-id and its secret) or an admin-created app's token, not both
  const shopifyClient = system === 'shopify' && (value('clientId') !== null || value('clientSecret') !== null);
  if (shopifyClient && value('token')) {
    throw new UsageError('--token and --client-id/--client-secret contradict each other', {
      hint: "Give a Dev Dashboard app's --client-id with its secret, or an admin-created app's --token, not both.",
    });
  }
  if (shopifyClient && value('clientId') === null) {
    throw new UsageError('--client-secret needs --client-id', {
      hint: `Both are in the Dev Dashboard: Apps → your app → Settings. Example: ${connectExample('shopify', commandLine)}`,
    });
  }
  if (names.length > 0) {
    throw new UsageError(`${names.join(', ')} ${names.length === 1 ? 'does' : 'do'} not apply to connect ${system}`, {
      hint: `connect ${system} takes ${TAKES[system].map((flag) => FLAG[flag]).join(', ')}${SECRETS[system].length > 0 ? ', --token-stdin' : ''}${system === 'inventory-source' ? '' : ', --no-check'}. Example: ${connectExample(system, commandLine)}`,
    });
  }

  // 2. missing flags, each named (a secret is missing when neither its flag, --token-stdin nor its variable gives it)
  const missing: string[] = [];
  for (const flag of NEEDS[system]) {
    if (sandbox && flag === 'store') continue; // the sandbox store has one name
    if (!value(flag)) missing.push(FLAG[flag]);
  }
  if (sandbox && !value('apiUrl')) missing.push('--api-url');
  const secrets: PlannedSecret[] = [];
  let stdinLines = 0;
  const specs = secretSpecsOf(system, shopifyClient);
  for (const spec of specs) {
    const argv = value(spec.field as ValueFlag);
    // under --sandbox the real stores' variables are not used: the sandbox's tokens come from `sandbox serve`
    const fromEnv = sandbox ? null : given(env[spec.env]);
    if (argv) secrets.push({ spec, source: 'argv', value: argv });
    else if (tokenStdin) {
      secrets.push({ spec, source: 'stdin', value: null });
      stdinLines += 1;
    } else if (fromEnv) secrets.push({ spec, source: 'env', value: fromEnv });
    else if (system === 'shopify' && !shopifyClient) {
      // neither kind given: the Dev Dashboard app first, the kind every store can create today
      missing.push(
        sandbox
          ? `a Dev Dashboard app's --client-id ID with its secret (--client-secret or --token-stdin), or --token (or --token-stdin${ignoredEnv('ONBOARD_SHOPIFY_TOKEN')})`
          : "a Dev Dashboard app's --client-id ID with its secret (ONBOARD_SHOPIFY_CLIENT_SECRET, --token-stdin or --client-secret), or an admin-created app's --token (or ONBOARD_SHOPIFY_TOKEN, or --token-stdin)",
      );
    } else missing.push(sandbox ? `${spec.flag} (or --token-stdin${ignoredEnv(spec.env)})` : `${spec.flag} (or ${spec.env}, or --token-stdin)`);
  }
  if (missing.length > 0) {
    throw new UsageError(`connect ${system}${sandbox ? ' --sandbox' : ''} needs ${missing.join(', ')}`, {
      hint: sandbox ? sandboxServer : `Example: ${connectExample(system, commandLine)}`,
    });
  }
  if (tokenStdin && stdinLines === 0) {
    throw new UsageError('--token-stdin: every secret is already given as a flag', { hint: 'Leave out --token-stdin, or the secret flags.' });
  }

  // 3. values
  const fields: Record<string, string> = {};
  const apiUrl = value('apiUrl');
  if (apiUrl) fields.apiUrl = validateBaseUrl(apiUrl, '--api-url');
  switch (system) {
    case 'shopify': {
      const store = value('store');
      if (store) fields.store = shopifyStore(store);
      else fields.store = await context.adapters.sandboxStoreDomain();
      const clientId = value('clientId');
      if (clientId) {
        if (!CLIENT_ID.test(clientId)) {
          throw new BadInputError(`--client-id: "${clientId}" is not a Shopify client ID`, {
            hint: 'Copy the Client ID from the Dev Dashboard: Apps → your app → Settings (8 to 128 letters, digits, dots, dashes or underscores; no spaces).',
          });
        }
        fields.clientId = clientId;
      }
      break;
    }
    case 'woocommerce': {
      const url = value('url') as string;
      try {
        fields.url = validateBaseUrl(url, '--url');
      } catch (error) {
        if (error instanceof BadInputError && /plain http/.test(error.message)) {
          throw new BadInputError(error.message, {
            hint: "WooCommerce over plain http needs OAuth 1.0a signing, which onboard does not support: use the store's https:// address.",
          });
        }
        throw error;
      }
      // the store's address, not its REST path: the adapter adds /wp-json/wc/v3 itself
      const restPath = /\/wp-json(\/|$)/i.exec(new URL(fields.url).pathname);
      if (restPath) {
        const site = `${new URL(fields.url).origin}${new URL(fields.url).pathname.slice(0, restPath.index)}`;
        throw new BadInputError(`--url: "${url}" is the REST API's address; give the store's own`, {
          hint: `Use --url ${site} (onboard adds /wp-json/wc/v3 itself).`,
        });
      }
      break;
    }
    case 'bigcommerce': {
      const hash = value('storeHash') as string;
      if (!STORE_HASH.test(hash)) {
        throw new BadInputError(`--store-hash: "${hash}" is not a BigCommerce store hash`, {
          hint: 'The store hash is the letters and digits after /stores/ in the API path (Settings → API → Store-level API accounts).',
        });
      }
      fields.storeHash = hash.toLowerCase();
      break;
    }
    case 'flxpoint': {
      const portalUrl = value('portalUrl');
      if (portalUrl) fields.portalUrl = validateBaseUrl(portalUrl, '--portal-url');
      const email = value('supplierEmail');
      if (email) {
        if (!EMAIL.test(email)) {
          throw new BadInputError(`--supplier-email: "${email}" is not an email address`, { hint: 'Give one address, for example orders@supplier.example.' });
        }
        fields.supplierEmail = email;
      }
      break;
    }
    case 'inventory-source': {
      const plan = (value('plan') as string).toLowerCase();
      if (!(PLANS as readonly string[]).includes(plan)) {
        throw new BadInputError(`--plan: "${value('plan')}" is not an Inventory Source plan`, {
          hint: `Plans: ${PLANS.join(', ')} (shown in Inventory Source under your account's billing).`,
        });
      }
      fields.plan = plan;
      break;
    }
  }

  const warnings: string[] = [];
  for (const secret of secrets) {
    if (secret.source === 'argv' && !sandbox) {
      warnings.push(`${secret.spec.flag} on the command line lands in your shell history and the process list; prefer ${secret.spec.env} or --token-stdin.`);
    }
  }
  return { system, namespace: sandbox ? 'sandbox' : 'real', fields, secrets, check, warnings, stdinLines };
}

/** Fills the stdin secrets from the lines read (one line per secret, in flag order). */
export function withStdinSecrets(plan: ConnectPlan, text: string, commandLine: CommandLine = PLAIN_COMMAND_LINE): ConnectPlan {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  const wanted = plan.secrets.filter((secret) => secret.source === 'stdin');
  const names = wanted.map((secret) => secret.spec.flag).join(', ');
  if (lines.length !== wanted.length || lines.some((line) => line === '')) {
    const empty = lines.findIndex((line) => line === '');
    const got = empty >= 0 && lines.length >= wanted.length ? `line ${empty + 1} is empty` : `got ${lines.filter((l) => l !== '').length}`;
    // the example is this connection's own command: its target, its kind of Shopify credential
    const example = commandLine('connect', plan.system, ...storedTargetFlags(plan.system, { [plan.system]: plan.fields } as Credentials), '--token-stdin');
    throw new UsageError(`--token-stdin: expected ${wanted.length} non-empty line${wanted.length === 1 ? '' : 's'} on stdin (${names}), ${got}`, {
      hint: wanted.length === 1 ? `Pipe the secret in, for example: pass show my-token | ${example}` : `Give one line per secret, in this order: ${names}.`,
    });
  }
  let index = 0;
  return {
    ...plan,
    secrets: plan.secrets.map((secret) => (secret.source === 'stdin' ? { ...secret, value: lines[index++] as string } : secret)),
  };
}

export interface ConnectResult {
  system: SystemName;
  ok: boolean;
  account: string | null;
  checked: boolean;
  stored: boolean;
  warnings: string[];
  namespace: Namespace;
  /** the sales channel this one replaced (only one may be connected) */
  replaced: ChannelSystem | null;
  /** secrets taken from the environment: used, not stored; later commands read them from there again */
  fromEnvironment: string[];
  plan?: Plan;
  importIntervalMinutes?: number;
  /** Shopify: how onboard authenticates (never the secret or a token) */
  credential?: 'client_credentials' | 'access_token';
  /** Shopify: the scopes granted (null: not read, with --no-check or when the store did not say) */
  scopes?: string[] | null;
  /** Shopify: useful scopes not granted, each with what it is for */
  missingScopes?: { scope: string; neededFor: string }[];
}

function secretOf(plan: ConnectPlan, field: string): string {
  const secret = plan.secrets.find((s) => s.spec.field === field);
  if (!secret?.value) throw new OnboardError('usage', `${field} is missing`);
  return secret.value;
}

interface Checked {
  account: string;
  /** what the credential was granted, where the system says (Shopify) */
  access: ChannelAccess | null;
}

/**
 * Shopify: the granted scopes against what onboard does. A missing required scope (read_orders) exits 4 with the
 * steps to add it; the others are named with what they are for.
 */
function checkScopes(plan: ConnectPlan, access: ChannelAccess): { scope: string; neededFor: string }[] {
  if (access.scopes === null) return [];
  if (access.requiredFix !== null) {
    const scopes = access.missing.filter((m) => m.required).map((m) => m.scope);
    throw new AuthRejectedError(
      'shopify',
      `The Shopify ${access.credential === 'client_credentials' ? 'app' : 'access token'} for ${plan.fields.store} lacks the ${scopes.join(', ')} scope, which onboard needs to find and follow orders (granted: ${access.scopes.join(', ') || 'none'})`,
      {
        hint: access.requiredFix,
      },
    );
  }
  return access.missing.map(({ scope, neededFor }) => ({ scope, neededFor }));
}

/** Runs the system's credential check (the adapter's `check()`); a rejection propagates as AuthRejectedError. */
async function checkCredentials(adapters: Adapters, plan: ConnectPlan): Promise<Checked> {
  if (plan.system === 'shopify') {
    const auth = plan.fields.clientId ? { clientId: plan.fields.clientId, clientSecret: secretOf(plan, 'clientSecret') } : { token: secretOf(plan, 'token') };
    const channel = await adapters.channel({ system: 'shopify', store: plan.fields.store as string, apiUrl: plan.fields.apiUrl, ...auth });
    const { account } = await channel.check();
    return { account, access: channel.access ? await channel.access() : null };
  }
  if (plan.system === 'woocommerce' || plan.system === 'bigcommerce') {
    const credentials: ChannelCredentials =
      plan.system === 'woocommerce'
        ? {
            system: 'woocommerce',
            url: plan.fields.url as string,
            consumerKey: secretOf(plan, 'consumerKey'),
            consumerSecret: secretOf(plan, 'consumerSecret'),
          }
        : { system: 'bigcommerce', storeHash: plan.fields.storeHash as string, token: secretOf(plan, 'token'), apiUrl: plan.fields.apiUrl };
    return { account: (await (await adapters.channel(credentials)).check()).account, access: null };
  }
  if (plan.system === 'flxpoint') {
    const portal = await adapters.portal({ token: secretOf(plan, 'token'), apiUrl: plan.fields.apiUrl, portalUrl: plan.fields.portalUrl });
    return { account: (await portal.check()).account, access: null };
  }
  throw new UsageError(`Checking ${SYSTEM_LABELS[plan.system]} credentials is not available in this version of onboard`);
}

export async function runConnect(ctx: Context, plan: ConnectPlan): Promise<CommandOutcome<ConnectResult>> {
  const { system } = plan;
  if (plan.secrets.some((secret) => !secret.value)) throw new OnboardError('usage', 'A secret is still to be read from stdin');
  const warnings = [...plan.warnings];
  // the argv warning shows even when the check then fails
  for (const warning of plan.warnings) ctx.reporter.warn(warning);
  let account: string | null = null;
  let scopes: string[] | null = null;
  let missingScopes: { scope: string; neededFor: string }[] = [];
  const checked = plan.check && system !== 'inventory-source';
  if (checked) {
    ctx.reporter.info(`Checking the ${SYSTEM_LABELS[system]} credentials…`);
    const result = await checkCredentials(ctx.adapters, plan);
    account = result.account;
    scopes = result.access?.scopes ?? null;
    if (result.access) missingScopes = checkScopes(plan, result.access);
  }
  const checkedAt = checked ? new Date().toISOString() : null;

  const record: Record<string, unknown> = { ...plan.fields };
  for (const secret of plan.secrets) {
    // a secret from the environment is used for the check and never stored
    if (secret.source !== 'env') record[secret.spec.field] = secret.value;
  }
  if (system !== 'inventory-source') Object.assign(record, { account, checkedAt });

  const { result: replaced } = await ctx.store.update(plan.namespace, 'credentials', credentialsSchema, (credentials: Credentials) => {
    let replacedChannel: ChannelSystem | null = null;
    if (isChannelSystem(system)) {
      for (const other of CHANNEL_SYSTEMS) {
        if (other !== system && credentials[other] !== undefined) {
          replacedChannel = other;
          delete credentials[other];
        }
      }
    }
    (credentials as Record<string, unknown>)[system] = record;
    return replacedChannel;
  });
  if (replaced) {
    const warning = `Only one sales channel can be connected at a time: ${SYSTEM_LABELS[system]} replaced ${SYSTEM_LABELS[replaced]} (its credentials were removed).`;
    // said once: by the result's rendering (and under --json in `warnings`)
    warnings.push(warning);
  }

  const result: ConnectResult = {
    system,
    ok: true,
    account,
    checked,
    stored: true,
    warnings,
    namespace: plan.namespace,
    replaced,
    fromEnvironment: plan.secrets.filter((secret) => secret.source === 'env').map((secret) => secret.spec.env),
  };
  if (system === 'shopify') {
    result.credential = plan.fields.clientId ? 'client_credentials' : 'access_token';
    result.scopes = scopes;
    result.missingScopes = missingScopes;
  }
  if (system === 'inventory-source') {
    result.plan = plan.fields.plan as Plan;
    result.importIntervalMinutes = PLAN_INTERVAL_MS[result.plan] / 60_000;
  }
  return { result, exitCode: EXIT.ok };
}

// ---------------------------------------------------------------------------------------------------------
// disconnect

export interface DisconnectResult {
  system: SystemName;
  removed: boolean;
  namespace: Namespace;
  /** environment variables that still connect this system */
  stillInEnvironment: string[];
}

export async function runDisconnect(ctx: Context, system: SystemName): Promise<CommandOutcome<DisconnectResult>> {
  // nothing stored: nothing to change, and no profile folder made for it
  const storedNow = ctx.store.read(ctx.namespace, 'credentials', credentialsSchema)[system] !== undefined;
  const { result: removed } = !storedNow
    ? { result: false }
    : await ctx.store.update(ctx.namespace, 'credentials', credentialsSchema, (credentials: Credentials) => {
        const had = credentials[system] !== undefined;
        delete credentials[system];
        return had;
      });
  const stillInEnvironment = ctx.sandbox ? [] : SECRETS[system].map((spec) => spec.env).filter((name) => given(ctx.env[name]));
  // ONBOARD_FLXPOINT_TOKEN alone connects Flxpoint; the channels' variables need a stored store to connect
  const connectsAlone = system === 'flxpoint' && stillInEnvironment.length > 0;
  if (connectsAlone) ctx.reporter.warn(`${stillInEnvironment.join(', ')} is still set: onboard keeps using Flxpoint through it until you unset it.`);
  return { result: { system, removed, namespace: ctx.namespace, stillInEnvironment }, exitCode: EXIT.ok };
}
