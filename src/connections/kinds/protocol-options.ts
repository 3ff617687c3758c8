import type { ProtocolOptions } from '../../auth/oauth2/transport.ts';
import type { Config } from '../../config.ts';
import { invalidField } from '../../errors.ts';
import { createNetworkPolicy } from '../../outbound/network-policy.ts';
import type { Outbound } from '../../outbound/types.ts';

/**
 * How the protocol steps of a kind reach its endpoints. oauth4webapi sends with
 * `redirect: 'manual'` and Outbound.fetch follows no redirect, so a client
 * secret, code, assertion or refresh token never follows one. Plain http is
 * accepted only for a host the administrator opened on purpose (HITCH_ALLOWED_HOSTS
 * lists it, or HITCH_ALLOW_PRIVATE_NETWORK): listing one host does not let the
 * endpoints of every other host downgrade to http.
 */
export function createProtocolOptions(deps: {
  outbound: Outbound;
  network: Config['network'];
}): (...urls: Array<string | undefined>) => ProtocolOptions {
  const policy = createNetworkPolicy(deps.network);
  return (...urls) => {
    const insecure = urls.filter((u): u is string => u !== undefined && /^http:/i.test(u));
    const unlisted = deps.network.allowPrivateNetwork
      ? []
      : insecure.filter((u) => !URL.canParse(u) || !policy.lists(new URL(u).hostname));
    if (unlisted.length) {
      throw invalidField(
        'parameters',
        `OAuth endpoints must use https:// so that tokens never travel in clear: write ${unlisted.map((u) => (URL.canParse(u) ? new URL(u).host : u)).join(', ')} with https://.`,
      );
    }
    return {
      fetch: deps.outbound.fetch,
      fetchHasDeadline: true,
      ...(insecure.length ? { allowInsecureRequests: true } : {}),
    };
  };
}
