import { createPrivateKey } from 'node:crypto';
import { placeOAuth1Signature } from '../../auth/inject.ts';
import {
  buildAuthorizationUrl,
  temporaryCredentialsRequest,
  tokenCredentialsRequest,
  validateAuthorizationCallback,
  type OAuth1Client,
  type OAuth1Token,
} from '../../auth/oauth1/index.ts';
import { resolveOAuth1, type OAuth1Settings } from '../../catalog/resolve-oauth1.ts';
import { HitchError, invalidField } from '../../errors.ts';
import { createNetworkPolicy } from '../../outbound/network-policy.ts';
import type { ConnectionSecrets } from '../model.ts';
import type { ConnectionKind, KindDeps, KindSettings } from './kind.ts';

/** The settings the kind works with: the catalog's, with what the core reads. */
export type OAuth1KindSettings = OAuth1Settings & KindSettings;

function clientOf(settings: OAuth1Settings): OAuth1Client {
  return {
    consumerKey: settings.consumer.key,
    signatureMethod: settings.signatureMethod,
    consumerSecret: settings.consumer.secret,
    privateKey: settings.consumer.privateKey,
    realm: settings.realm,
  };
}

/** The token credentials a connection keeps: the access token, and its secret among the kind's secrets. */
function tokenOf(secrets: ConnectionSecrets): OAuth1Token {
  const tokenSecret = secrets.kindSecrets?.tokenSecret;
  if (!secrets.accessToken || tokenSecret === undefined) throw new HitchError('connection_not_authorized');
  return { token: secrets.accessToken, tokenSecret };
}

/**
 * RFC 5849 has no `state`: Hitch's state rides in the callback URL's own query,
 * which the service keeps when it adds `oauth_token` and `oauth_verifier` (§2.2),
 * so the one callback finds the flow — single use, bound to the signed-in user —
 * exactly as for OAuth 2.0. The token that comes back must also be the flow's.
 */
function callbackWithState(redirectUri: string, state: string): string {
  const url = new URL(redirectUri);
  url.searchParams.set('state', state);
  return url.toString();
}

/** Values the app keeps from the access-token answer (X's `user_id` and `screen_name`). */
function learnedFrom(raw: URLSearchParams, names: readonly string[]): Record<string, string> {
  const learned: Record<string, string> = {};
  for (const name of names) {
    const value = raw.get(name);
    if (value) learned[name] = value.slice(0, 2048);
  }
  return learned;
}

/**
 * OAuth 1.0a (RFC 5849): the request token, the person's consent through Hitch's
 * one callback, the access token; then every request — proxy, modules, verify —
 * signed by the one injector as it leaves. Tokens do not expire, so nothing
 * renews them: a 401 that the verify request confirms makes the connection
 * reauthorization_required.
 */
export function oauth1Kind(deps: KindDeps): ConnectionKind<OAuth1KindSettings> {
  const policy = createNetworkPolicy(deps.network);

  /**
   * Tokens and their secrets come back from these endpoints, and the token goes
   * to every one: https, unless the administrator opened the host on purpose
   * (HITCH_ALLOWED_HOSTS, HITCH_ALLOW_PRIVATE_NETWORK). PLAINTEXT sends the
   * secrets themselves, so it is https only (§3.4.4), whatever the network policy.
   */
  function checkTransport(settings: OAuth1Settings): void {
    const urls = [settings.requestTokenUrl, settings.authorizeUrl, settings.accessTokenUrl, settings.baseUrl];
    const clear = urls.filter((u): u is string => u !== undefined && /^http:/i.test(u));
    if (settings.signatureMethod === 'PLAINTEXT' && clear.length) {
      throw invalidField(
        'parameters.signatureMethod',
        `PLAINTEXT signatures carry the secrets themselves, so they are sent only over https://: write ${new URL(clear[0]!).host} with https://, or choose HMAC-SHA1.`,
      );
    }
    const unlisted = deps.network.allowPrivateNetwork ? [] : clear.filter((u) => !policy.lists(new URL(u).hostname));
    if (unlisted.length)
      throw invalidField(
        'parameters',
        `OAuth 1.0a endpoints must use https:// so that tokens never travel in clear: write ${new URL(unlisted[0]!).host} with https://.`,
      );
  }

  function checkPrivateKey(settings: OAuth1Settings): void {
    if (settings.signatureMethod !== 'RSA-SHA1') return;
    let type: string | undefined;
    try {
      type = createPrivateKey(settings.consumer.privateKey!).asymmetricKeyType;
    } catch {
      type = undefined;
    }
    if (type !== 'rsa')
      throw invalidField(
        'parameters.privateKey',
        'The private key is not an RSA private key in PEM: paste it whole, from -----BEGIN to -----END.',
      );
  }

  return {
    type: 'oauth1',
    words: 'this consumer key',
    lostOn401: true,

    resolve(app, definition, input) {
      if (definition.type !== 'oauth1') throw new TypeError(`oauth1 cannot resolve a ${definition.type} kind`);
      const settings = resolveOAuth1(
        app,
        definition,
        { values: input.values, data: input.learned, secrets: input.secrets },
        input.platform,
      );
      checkTransport(settings);
      checkPrivateKey(settings);
      return { ...settings, client: { own: settings.consumer.own } };
    },

    place: (settings, secrets) => [placeOAuth1Signature(clientOf(settings), tokenOf(secrets))],

    consent: {
      // §2.1, then §2.2's URL; the request token and its secret travel encrypted in the flow.
      async start(settings, input) {
        const temporary = await temporaryCredentialsRequest(deps.outbound, {
          url: settings.requestTokenUrl,
          method: settings.requestTokenMethod,
          client: clientOf(settings),
          callback: callbackWithState(input.redirectUri, input.state),
        });
        return {
          authorizeUrl: buildAuthorizationUrl(settings.authorizeUrl, temporary.token, settings.authorizeParameters),
          flowSecrets: { requestToken: temporary.token, requestTokenSecret: temporary.tokenSecret },
        };
      },

      check(_settings, answer) {
        validateAuthorizationCallback(answer.callbackParameters);
      },

      // §2.3: the verifier for the token credentials, signed with the request token's secret.
      async finish(settings, input) {
        const { requestToken, requestTokenSecret } = input.flowSecrets;
        if (requestToken === undefined || requestTokenSecret === undefined)
          throw new HitchError('oauth_state_invalid', {
            message: 'This authorization has no request token: start again.',
          });
        const temporary = { token: requestToken, tokenSecret: requestTokenSecret };
        const verifier = validateAuthorizationCallback(input.callbackParameters, temporary.token);
        const tokens = await tokenCredentialsRequest(deps.outbound, {
          url: settings.accessTokenUrl,
          method: settings.accessTokenMethod,
          client: clientOf(settings),
          temporary,
          verifier,
        });
        return {
          credentials: { accessToken: tokens.token, kindSecrets: { tokenSecret: tokens.tokenSecret } },
          learned: learnedFrom(tokens.raw, settings.keepFromTokenResponse),
        };
      },
    },
  };
}
