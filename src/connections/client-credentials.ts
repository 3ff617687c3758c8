import type { Catalog } from '../catalog/catalog.ts';
import { resolveOAuth2, type OAuth2Settings } from '../catalog/resolve.ts';
import { isHitchError } from '../errors.ts';
import type { ConnectionRow } from '../store/schema.ts';
import { parseData, parseScopes, type ConnectionSecrets } from './model.ts';
import type { OAuth2Protocol, TokenResult } from './oauth2.ts';
import { RenewalError, type RenewedTokens, type Renewer } from './renewal.ts';

/** Whether an OAuth 2.0 connection uses the client-credentials grant (from its kind and its `flow` parameter). */
export function usesClientCredentials(catalog: Catalog, row: ConnectionRow, env?: NodeJS.ProcessEnv): boolean {
  if (row.auth !== 'oauth2') return false;
  const app = catalog.get(row.app);
  const kind = app?.connections.find((k) => k.type === 'oauth2');
  if (!app || !kind || kind.type !== 'oauth2') return false;
  const data = parseData(row);
  return resolveOAuth2(app, kind, { values: data.parameters, data: data.learned, secrets: {} }, env).flow === 'client_credentials';
}

/** A token response as the secrets a client-credentials connection keeps: no refresh token, the grant is re-run instead. */
export function clientCredentialsTokens(tokens: TokenResult, previous: ConnectionSecrets, now: number): RenewedTokens {
  return {
    secrets: {
      parameters: previous.parameters,
      ...(previous.destinations ? { destinations: previous.destinations } : {}),
      accessToken: tokens.accessToken,
      ...(tokens.tokenType ? { tokenType: tokens.tokenType } : {}),
    },
    expiresAt: tokens.expiresInSeconds !== undefined ? now + tokens.expiresInSeconds * 1000 : null,
    ...(tokens.scopes ? { scopes: tokens.scopes } : {}),
  };
}

/**
 * Renewal of a client-credentials connection: the grant again. When the person's
 * own client is refused, only they can fix it (a new secret through reauthorize),
 * so that is a lost grant; the platform's client refused is an administrator's matter.
 */
export function clientCredentialsRenewer(oauth2: OAuth2Protocol, settingsOf: (row: ConnectionRow, secrets?: ConnectionSecrets) => Promise<{ settings: OAuth2Settings }>): Renewer {
  return async (row, secrets) => {
    let settings: OAuth2Settings;
    try {
      ({ settings } = await settingsOf(row, secrets));
    } catch (error) {
      if (isHitchError(error, 'reauthorization_required')) throw new RenewalError('grant_revoked', 'destination_changed', error.message, false);
      throw new RenewalError('client_rejected', 'settings_invalid', (error as Error).message, false);
    }
    try {
      const data = parseData(row);
      const tokens = await oauth2.clientCredentials(settings, data.requestedScopes ?? parseScopes(row));
      return clientCredentialsTokens(tokens, secrets, Date.now());
    } catch (error) {
      if (error instanceof RenewalError && error.reason === 'client_rejected' && settings.client?.own) {
        throw new RenewalError('grant_revoked', error.code, 'The service no longer accepts this client: enter a new Client Secret through reauthorize.', true);
      }
      throw error;
    }
  };
}
