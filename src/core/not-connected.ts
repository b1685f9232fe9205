// Why a command finds no adapter for a system, said the same way by every command: the system is not connected,
// or it is connected but its secret was given through the environment (never stored) and is not set now. The
// printed fixes store the secrets again for the same target, so they work when pasted.
import type { CommandLine } from './command-line.js';
import type { Context } from './context.js';
import { connectedChannel, isShopifyClient, PLANS, readCredentials, secretSpecsOf, secretValue, storedTargetFlags, type Credentials } from './credentials.js';
import { NotConnectedError } from './errors.js';
import { SYSTEM_LABELS, type SystemName } from './ports.js';

/** An example `connect` command for each system (a Dev Dashboard app for Shopify, the kind new stores get). */
export function connectExample(system: SystemName, commandLine: CommandLine): string {
  switch (system) {
    case 'shopify':
      return commandLine('connect', 'shopify', '--store', 'NAME.myshopify.com', '--client-id', 'ID', '--token-stdin');
    case 'woocommerce':
      return commandLine('connect', 'woocommerce', '--url', 'https://shop.example.com', '--token-stdin');
    case 'bigcommerce':
      return commandLine('connect', 'bigcommerce', '--store-hash', 'HASH', '--token-stdin');
    case 'flxpoint':
      return `${commandLine('connect', 'flxpoint', '--token-stdin', '--portal-url', 'URL', '--supplier-email', 'ADDRESS')} (--portal-url and --supplier-email are optional)`;
    default:
      return `${commandLine('connect', 'inventory-source', '--plan', 'plus')} (plans: ${PLANS.join(', ')})`;
  }
}

/** The environment variables of a stored connection's secrets that neither the environment nor the store gives. */
export function missingSecrets(system: SystemName, credentials: Credentials, env: NodeJS.ProcessEnv): string[] {
  if (credentials[system] === undefined) return [];
  return secretSpecsOf(system, system === 'shopify' && isShopifyClient(credentials))
    .filter((spec) => secretValue(credentials, env, system, spec).source === 'missing')
    .map((spec) => spec.env);
}

/**
 * The fix for a connection whose secrets come from the environment: set them, or store them once. The pipe gives
 * every secret of the connection, one line each in flag order, as `--token-stdin` reads them.
 */
export function storeSecretsAgain(system: SystemName, credentials: Credentials, missing: string[], commandLine: CommandLine): string {
  const all = secretSpecsOf(system, system === 'shopify' && isShopifyClient(credentials)).map((spec) => spec.env);
  const them = all.length === 1 ? 'it' : 'them';
  return (
    `Secrets given through the environment when connecting are never stored: set ${missing.join(' and ')} again, or, with ${all.length === 1 ? 'it' : `${all.join(' and ')}`} set, ` +
    `store ${them} once: printenv ${all.join(' ')} | ${commandLine('connect', system, ...storedTargetFlags(system, credentials), '--token-stdin')}`
  );
}

/** "Shopify is connected, but ONBOARD_SHOPIFY_TOKEN is not set and no secret is stored" */
export function missingSecretMessage(system: SystemName, missing: string[], where = ''): string {
  return `${SYSTEM_LABELS[system]}${where} is connected, but ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set and no secret is stored`;
}

/**
 * The error for a command that needs the store, the dealer portal, or both, and lacks some. `tryOnSandbox` is the
 * same command under --sandbox.
 */
export function notConnected(ctx: Context, needs: { channel: boolean; portal: boolean; planAssumed?: boolean }, tryOnSandbox: string): NotConnectedError {
  const credentials: Credentials = ctx.sandbox ? {} : readCredentials(ctx.store, 'real');
  const problems: string[] = [];
  const fixes: string[] = [];
  const next: string[] = [];
  // a stored connection whose secret is not in the environment: said as such (true), with how to give it again
  const saidSecretMissing = (system: SystemName) => {
    const missing = missingSecrets(system, credentials, ctx.env);
    if (missing.length === 0) return false;
    problems.push(missingSecretMessage(system, missing));
    fixes.push(storeSecretsAgain(system, credentials, missing, ctx.commandLine));
    next.push(...missing.map((env) => `export ${env}=…`));
    return true;
  };
  const connects: string[] = [];
  if (needs.channel) {
    const channel = connectedChannel(credentials);
    if (!channel || !saidSecretMissing(channel)) {
      problems.push('no sales channel is connected');
      connects.push(connectExample('shopify', ctx.commandLine));
    }
  }
  if (needs.portal && !saidSecretMissing('flxpoint')) {
    problems.push('the dealer portal (Flxpoint) is not connected');
    connects.push(connectExample('flxpoint', ctx.commandLine));
  }
  if (connects.length > 0) {
    fixes.push(`Try it on the sandbox first: ${tryOnSandbox}, or connect: ${connects.join('; ')}.`);
    next.unshift(tryOnSandbox);
    // the examples without their notes: each is a command
    next.push(...connects.map((example) => example.replace(/ \(.*\)$/, '')));
    if (needs.planAssumed) next.push(ctx.commandLine('connect', 'inventory-source', '--plan', 'PLAN'));
  }
  const message = problems.join('; ');
  return new NotConnectedError(`${message.charAt(0).toUpperCase()}${message.slice(1)}`, { hint: fixes.join('\n'), next });
}
