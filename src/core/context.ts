// The one context every core service receives: configuration, state, prompter, narrative, clock and adapters.
// src/context.ts builds it for the CLI; tests build it with fakes and loopback servers.
import type { Clock } from './clock.js';
import type { CommandLine } from './command-line.js';
import type { ChannelCredentials } from './credentials.js';
import type { Prompter, Reporter } from './interaction.js';
import type { ChannelPort, OrderManagerPort, PortalControls, PortalPort } from './ports.js';
import type { DocumentStore, Namespace, Profiles } from './store.js';

export interface Systems {
  clock: Clock;
  channel: ChannelPort | null;
  orderManager: OrderManagerPort;
  portal: PortalPort | null;
  /** present where the portal can be driven (sandbox) */
  portalControls: PortalControls | null;
  supplierEmail: string | null;
  /** the embedded or running sandbox; null against real systems */
  sandbox: { url: string; placeOrder(scenario: string | null): Promise<{ number: string; scenario: string | null }> } | null;
}

/** Builds adapters for credentials not stored yet (connect checks them first); implemented by src/systems.ts. */
export interface Adapters {
  channel(credentials: ChannelCredentials): Promise<ChannelPort>;
  portal(credentials: { token: string; apiUrl?: string; portalUrl?: string }): Promise<PortalPort>;
  /** the sandbox store's domain: `connect shopify --sandbox` without --store */
  sandboxStoreDomain(): Promise<string>;
}

export interface Context {
  readonly env: NodeJS.ProcessEnv;
  readonly profile: string;
  readonly namespace: Namespace;
  readonly sandbox: boolean;
  readonly scenario: string | null;
  readonly store: DocumentStore;
  /** every profile under the configuration folder (status --all-profiles) */
  readonly profiles: Profiles;
  readonly configRoot: string;
  readonly prompter: Prompter;
  readonly reporter: Reporter;
  readonly interactive: boolean;
  /** --timeout: null = wait as long as it takes */
  readonly timeoutMs: number | null;
  /** --poll-interval: null = each system's default */
  readonly pollIntervalMs: number | null;
  /** aborted by Ctrl-C or SIGTERM with a CancelledError as its reason */
  readonly signal: AbortSignal;
  /** the words this command was run with, as typed (without the launcher): for printing it again */
  readonly argv: readonly string[];
  /** builds a command for the user to paste: same world, profile and launcher as this invocation */
  readonly commandLine: CommandLine;
  /** the adapters, built on first use (starts the embedded sandbox under --sandbox) */
  systems(): Promise<Systems>;
  /** adapters for credentials given to `connect`, before they are stored */
  readonly adapters: Adapters;
}
