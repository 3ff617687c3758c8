import { describe, expect, it } from 'vitest';
import type { OAuth2Settings } from '../../src/catalog/resolve.ts';
import { GrantUnusable as RenewalError } from '../../src/connections/kinds/kind.ts';
import { oauth2Kind, type OAuth2Protocol } from '../../src/connections/kinds/oauth2.ts';
import type { ConnectionSecrets } from '../../src/connections/model.ts';
import type { ConnectionRow } from '../../src/store/schema.ts';

/** The oauth2 kind's renewal, with settings given as the renewal hands them over. */
const oauth2Renewer =
  (protocol: OAuth2Protocol, settingsOf: () => Promise<{ settings: OAuth2Settings }>) =>
  async (_row: ConnectionRow, secrets: ConnectionSecrets) =>
    oauth2Kind(protocol).renew!((await settingsOf()).settings, secrets, { scopes: [] });

/** Security II: a refresh token goes only to the token endpoint that issued it. */
describe('the refresh token is bound to the endpoint that issued it', () => {
  const sent: string[] = [];
  const protocol = {
    refresh: async (settings: OAuth2Settings, refreshToken: string) => {
      sent.push(`${settings.tokenUrl} ${refreshToken}`);
      return { accessToken: 'new-access', refreshToken: 'new-refresh', raw: {} };
    },
  } as unknown as OAuth2Protocol;
  const row = { id: 'c1', data: '{}' } as unknown as ConnectionRow;
  const settingsAt = (tokenUrl: string) => async () => ({
    settings: { tokenUrl, formerTokenUrls: [] } as unknown as OAuth2Settings,
  });

  it('refuses to send it anywhere else, as a lost grant that needs reauthorizing', async () => {
    sent.length = 0;
    const secrets: ConnectionSecrets = {
      parameters: {},
      refreshToken: 'rt-1',
      tokenEndpoint: 'https://issuer.example/token',
    };
    const error = await oauth2Renewer(protocol, settingsAt('https://elsewhere.example/token'))(row, secrets).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RenewalError);
    expect(error).toMatchObject({ reason: 'grant_revoked', code: 'token_endpoint_changed' });
    expect(sent).toEqual([]);
  });

  it('sends it to the same endpoint, and binds a connection stored before endpoints were recorded', async () => {
    sent.length = 0;
    const same = await oauth2Renewer(protocol, settingsAt('https://issuer.example/token'))(row, {
      parameters: {},
      refreshToken: 'rt-1',
      tokenEndpoint: 'https://issuer.example/token',
    });
    expect(same.secrets).toMatchObject({ refreshToken: 'new-refresh', tokenEndpoint: 'https://issuer.example/token' });
    const legacy = await oauth2Renewer(protocol, settingsAt('https://issuer.example/token'))(row, {
      parameters: {},
      refreshToken: 'rt-0',
    });
    expect(legacy.secrets.tokenEndpoint).toBe('https://issuer.example/token');
    expect(sent).toEqual(['https://issuer.example/token rt-1', 'https://issuer.example/token rt-0']);
  });
});
