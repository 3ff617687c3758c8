import { placeApiKeys } from '../../auth/inject.ts';
import { resolveApiKey, type ApiKeySettings } from '../../catalog/resolve.ts';
import type { Outbound } from '../../outbound/types.ts';
import { fetchAccount } from '../verify-request.ts';
import type { ConnectionKind } from './kind.ts';

/**
 * API keys: each key in its header or query parameter, with its prefix. Accepted
 * when the app's verify request says yes. Nothing renews a key; one that ends
 * (`expiresAtParameter`) is recorded as the connection's renewBy, so people are
 * warned to replace it in time.
 */
export function apiKeyKind(outbound: Outbound): ConnectionKind<ApiKeySettings> {
  return {
    type: 'apiKey',
    words: 'this key',
    resolve: (_app, definition, input) => {
      if (definition.type !== 'apiKey') throw new TypeError(`apiKey cannot resolve a ${definition.type} kind`);
      return resolveApiKey(definition, { values: input.values, secrets: input.secrets });
    },
    place: (settings) => placeApiKeys(settings.keys),
    async accept(settings, input) {
      const account = await fetchAccount(outbound, settings.verify, placeApiKeys(settings.keys), input.expiredWhen);
      return {
        secrets: { parameters: input.secrets },
        expiresAt: null,
        scopes: [],
        account,
        verified: settings.verify !== undefined,
        renewBy: settings.expiresAt ?? null,
      };
    },
  };
}
