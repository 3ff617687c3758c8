/**
 * The OAuth steps that carry a secret — code exchange, refresh, client
 * credentials (client secret in the body or as Basic), revocation — and
 * discovery never follow a redirect: oauth4webapi asks for `redirect: 'manual'`
 * and Outbound.fetch follows none, so an endpoint that answers 3xx toward an
 * evil host gets nothing sent there. And HITCH_ALLOWED_HOSTS opens plain http
 * only for the hosts it lists, not for the OAuth endpoints of every other host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuth2Protocol } from '../../src/connections/kinds/oauth2.ts';
import { isHitchError } from '../../src/errors.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import type { Outbound } from '../../src/outbound/types.ts';
import {
  EVIL_HOST,
  GOOD_HOST,
  redirectVia,
  spellings,
  startOrigin,
  twoHostPolicy,
  type Origin,
} from '../helpers/origins.ts';
import { CLIENT_SECRET, settings } from '../helpers/oauth2-settings.ts';

const REFRESH_TOKEN = 'refresh-token-0123456789abcdef';
const ACCESS_TOKEN = 'access-token-0123456789abcdef';

const secretsIn = (text: string) =>
  [CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN, 'the-code-0123456789', `hitch-client:${CLIENT_SECRET}`]
    .flatMap(spellings)
    .filter((form) => text.includes(form));

describe('OAuth steps and redirects', () => {
  let good: Origin;
  let evil: Origin;
  let outbound: Outbound;

  beforeAll(async () => {
    good = await startOrigin(GOOD_HOST);
    evil = await startOrigin(EVIL_HOST);
    outbound = createOutbound({ network: twoHostPolicy });
  });
  afterAll(async () => {
    await outbound.close();
    await good.close();
    await evil.close();
  });

  it('sends no client secret, code, refresh or access token to where a token, long-lived token, revocation or discovery endpoint redirects', async () => {
    const oauth2 = createOAuth2Protocol({ outbound, network: twoHostPolicy });
    let attempts = 0;
    for (const status of [301, 302, 303, 307, 308]) {
      for (const clientAuth of ['client_secret_post', 'client_secret_basic'] as const) {
        const toEvil = (path: string) => redirectVia(good, `${evil.origin}${path}`, status);
        const s = settings({
          clientAuth,
          tokenUrl: toEvil('/token'),
          revokeUrl: toEvil('/revoke'),
          longLivedToken: {
            exchange: {
              method: 'GET',
              url: toEvil('/access_token'),
              grantType: 'fb_exchange_token',
              tokenParameter: 'fb_exchange_token',
              clientId: true,
              clientSecret: true,
            },
            refresh: {
              method: 'GET',
              url: toEvil('/refresh_access_token'),
              grantType: 'ig_refresh_token',
              tokenParameter: 'access_token',
              clientId: false,
              clientSecret: false,
            },
          },
        });
        const outcomes = await Promise.allSettled([
          oauth2.refresh(s, REFRESH_TOKEN),
          oauth2.clientCredentials({ ...s, flow: 'client_credentials' }, ['read']),
          oauth2.revoke(s, ACCESS_TOKEN, 'access_token'),
          oauth2.longLivedToken(s, ACCESS_TOKEN, 'exchange'),
          oauth2.longLivedToken(s, ACCESS_TOKEN, 'refresh'),
          oauth2.exchangeCode(s, {
            redirectUri: 'https://hitch.example/oauth/callback',
            callbackParameters: new URLSearchParams({ code: 'the-code-0123456789', state: 'st' }),
            expectedState: 'st',
            pkceVerifier: null,
            expectedIssuer: undefined,
          }),
          oauth2.complete(
            settings({
              authorizeUrl: undefined,
              issuer: `${good.origin}/redirect?status=${status}&to=${encodeURIComponent(`${evil.origin}/issuer`)}`,
            }),
          ),
        ]);
        attempts += outcomes.length;
        // None of them succeeds on a redirect: it is an answer the protocol does not accept.
        expect(outcomes.map((o) => o.status)).toEqual(Array(7).fill('rejected'));
      }
    }
    expect(good.received.length).toBe(attempts);
    expect(secretsIn(good.everything()).length).toBeGreaterThan(0);
    expect(evil.received).toEqual([]);
  });

  it('opens plain http only for hosts HITCH_ALLOWED_HOSTS lists, not for the OAuth endpoints of other reachable hosts', async () => {
    // 127.0.0.2/32 stands in for the public internet: evil.test resolves there and is reachable, but is not listed.
    const network = { allowPrivateNetwork: false, allowedHosts: ['idp.test', `${EVIL_HOST}/32`] };
    const named = createOutbound({
      network,
      dangerouslyResolveHostsWith: async (host) => (host === 'evil.test' ? [EVIL_HOST] : [GOOD_HOST]),
    });
    try {
      const oauth2 = createOAuth2Protocol({ outbound: named, network });
      const listed = await oauth2.refresh(
        settings({ tokenUrl: `http://idp.test:${new URL(good.origin).port}/token` }),
        REFRESH_TOKEN,
      );
      expect(listed.accessToken).toMatch(/^token-/);

      evil.reset();
      for (const step of [
        () =>
          oauth2.refresh(settings({ tokenUrl: `http://evil.test:${new URL(evil.origin).port}/token` }), REFRESH_TOKEN),
        () =>
          oauth2.clientCredentials(
            settings({ flow: 'client_credentials', tokenUrl: `http://evil.test:${new URL(evil.origin).port}/token` }),
            [],
          ),
        () =>
          oauth2.revoke(
            settings({
              tokenUrl: `http://idp.test:${new URL(good.origin).port}/token`,
              revokeUrl: `http://evil.test:${new URL(evil.origin).port}/revoke`,
            }),
            ACCESS_TOKEN,
            'access_token',
          ),
        () =>
          oauth2.complete(
            settings({ authorizeUrl: undefined, issuer: `http://evil.test:${new URL(evil.origin).port}` }),
          ),
      ]) {
        const error = await step().then(
          () => undefined,
          (e: unknown) => e,
        );
        // Refused before sending (renewal wraps the same refusal as a RenewalError for the connection's status).
        expect(
          isHitchError(error, 'validation_failed') || (error as { code?: string }).code === 'validation_failed',
          String(error),
        ).toBe(true);
        expect((error as Error).message).toMatch(/must use https:\/\/.*evil\.test/);
      }
      expect(evil.received).toEqual([]);
    } finally {
      await named.close();
    }
  });
});
