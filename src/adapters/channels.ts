// One place that turns a connected sales channel's credentials into its adapter, loading only that adapter.
import type { Clock } from '../core/clock.js';
import type { ChannelCredentials } from '../core/credentials.js';
import type { ChannelPort } from '../core/ports.js';
import type { PacingStore } from './http/shared-pacing.js';

export async function createChannel(
  credentials: ChannelCredentials,
  deps: {
    clock: Clock;
    log?: (line: string) => void;
    signal?: AbortSignal;
    pacing?: PacingStore;
    /** Shopify: note attributes every order created by API carries (the sandbox's scenario) */
    createOrderNoteAttributes?: { name: string; value: string }[];
  },
): Promise<ChannelPort> {
  switch (credentials.system) {
    case 'shopify': {
      const { createShopifyChannel } = await import('./shopify/client.js');
      const { store, apiUrl, token, clientId, clientSecret } = credentials;
      return createShopifyChannel({ store, apiUrl, token, clientId, clientSecret, ...deps });
    }
    case 'woocommerce': {
      const { createWooCommerceChannel } = await import('./woocommerce/client.js');
      return createWooCommerceChannel({
        url: credentials.url,
        consumerKey: credentials.consumerKey,
        consumerSecret: credentials.consumerSecret,
        clock: deps.clock,
        log: deps.log,
        signal: deps.signal,
      });
    }
    case 'bigcommerce': {
      const { createBigCommerceChannel } = await import('./bigcommerce/client.js');
      return createBigCommerceChannel({
        storeHash: credentials.storeHash,
        token: credentials.token,
        apiUrl: credentials.apiUrl,
        clock: deps.clock,
        log: deps.log,
        signal: deps.signal,
      });
    }
  }
}
