/**
 * A refresh token goes only to the token endpoint that issued it, unless the app names that
 * endpoint in `formerTokenUrls` (HubSpot's move from /oauth/v3/token to /oauth/2026-03/token):
 * then it is spent at the current endpoint, and the connection is bound to that one from then on.
 */
import { describe, expect, it } from 'vitest';
import type { OAuth2Settings } from '../../src/catalog/resolve.ts';
import { GrantUnusable } from '../../src/connections/kinds/kind.ts';
import { oauth2Kind, type OAuth2Protocol, type TokenResult } from '../../src/connections/kinds/oauth2.ts';

const OLD = 'https://api.hubapi.com/oauth/v3/token';
const NEW = 'https://api.hubapi.com/oauth/2026-03/token';

function kindWith(refreshed: string[]) {
  const protocol = {
    async refresh(settings: OAuth2Settings, refreshToken: string): Promise<TokenResult> {
      refreshed.push(`${settings.tokenUrl} ${refreshToken}`);
      return { accessToken: 'new-access', refreshToken: 'new-refresh', expiresInSeconds: 1800, raw: {} };
    },
  } as unknown as OAuth2Protocol;
  return oauth2Kind(protocol);
}

const settings = (formerTokenUrls: string[]) => ({ tokenUrl: NEW, formerTokenUrls }) as unknown as OAuth2Settings;

describe('formerTokenUrls', () => {
  it('refreshes a token issued at a former endpoint at the current one, and binds it there', async () => {
    const refreshed: string[] = [];
    const renewed = await kindWith(refreshed).renew!(
      settings([OLD]),
      { parameters: {}, accessToken: 'old-access', refreshToken: 'old-refresh', tokenEndpoint: OLD },
      { scopes: [] },
    );
    expect(refreshed).toEqual([`${NEW} old-refresh`]);
    expect(renewed.secrets).toMatchObject({
      tokenEndpoint: NEW,
      refreshToken: 'new-refresh',
      accessToken: 'new-access',
    });
  });

  it('still refuses a token from an endpoint the app does not name', async () => {
    const refreshed: string[] = [];
    const renewing = kindWith(refreshed).renew!(
      settings([]),
      { parameters: {}, accessToken: 'old-access', refreshToken: 'old-refresh', tokenEndpoint: OLD },
      { scopes: [] },
    );
    await expect(renewing).rejects.toBeInstanceOf(GrantUnusable);
    expect(refreshed).toEqual([]);
  });
});
