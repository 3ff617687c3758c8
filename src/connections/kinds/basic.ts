import { placeBasic } from '../../auth/inject.ts';
import { resolveBasic, type BasicSettings } from '../../catalog/resolve.ts';
import type { Outbound } from '../../outbound/types.ts';
import { fetchAccount } from '../verify-request.ts';
import type { ConnectionKind } from './kind.ts';

/**
 * HTTP Basic (RFC 7617): a username and password on every request. Accepted when
 * the app's verify request says yes; they do not expire, so nothing renews them.
 */
export function basicKind(outbound: Outbound): ConnectionKind<BasicSettings> {
  return {
    type: 'basic',
    words: 'this username and password',
    resolve: (_app, definition, input) => {
      if (definition.type !== 'basic') throw new TypeError(`basic cannot resolve a ${definition.type} kind`);
      return resolveBasic(definition, { values: input.values, secrets: input.secrets });
    },
    place: (settings) => placeBasic(settings.username, settings.password),
    async accept(settings, input) {
      const placed = placeBasic(settings.username, settings.password);
      const account = await fetchAccount(outbound, settings.verify, placed, input.expiredWhen);
      return {
        secrets: { parameters: input.secrets },
        expiresAt: null,
        scopes: [],
        account,
        verified: settings.verify !== undefined,
      };
    },
  };
}
