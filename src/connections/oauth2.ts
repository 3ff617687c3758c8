import {
  buildAuthorizationUrl,
  clientCredentialsGrant,
  createPkce,
  defineAuthorizationServer,
  discover,
  exchangeAuthorizationCode,
  refreshTokenGrant,
  revokeToken,
  type AuthorizationServer,
  type ClientContext,
  type TokenSet,
} from '../auth/oauth2/index.ts';
import { OAuthProtocolError } from '../auth/oauth2/errors.ts';
import type { ProtocolOptions } from '../auth/oauth2/transport.ts';
import { placeBearerToken, type PlacedCredential } from '../auth/inject.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { requireClient, resolveOAuth2, type OAuth2Settings } from '../catalog/resolve.ts';
import type { Config } from '../config.ts';
import { HitchError, invalidField, isHitchError } from '../errors.ts';
import { createNetworkPolicy } from '../outbound/network-policy.ts';
import type { Outbound } from '../outbound/types.ts';
import type { ConnectionRow } from '../store/schema.ts';
import { parseData, type ConnectionSecrets } from './model.ts';
import type { Placer } from './credentials.ts';
import { assertSameDestinations } from './destinations.ts';
import { fetchLiftingTokenSet } from './nested-token-response.ts';
import { RenewalError, type Renewer } from './renewal.ts';

/** What the token endpoint gave, in the terms the connection stores. */
export interface TokenResult {
  accessToken: string;
  refreshToken?: string;
  tokenType?: string;
  expiresInSeconds?: number;
  /** When the grant itself ends (`refresh_expires_in`). */
  refreshExpiresInSeconds?: number;
  scopes?: string[];
  /** The whole answer, for values the app keeps (`instance_url`). Holds tokens: never log it. */
  raw: Record<string, unknown>;
}

/** The OAuth 2.0 steps as the connection core uses them, bound to Hitch's outbound client. */
export interface OAuth2Protocol {
  /** Fills endpoints from OpenID discovery when only an issuer is known, and checks what is required. */
  complete(settings: OAuth2Settings): Promise<OAuth2Settings>;
  newPkce(): Promise<{ verifier: string; challenge: string }>;
  authorizationUrl(settings: OAuth2Settings, input: { redirectUri: string; scopes: string[]; state: string; codeChallenge: string | null }): string;
  exchangeCode(
    settings: OAuth2Settings,
    input: { redirectUri: string; callbackParameters: URLSearchParams; expectedState: string; pkceVerifier: string | null; expectedIssuer: string | undefined },
  ): Promise<TokenResult>;
  refresh(settings: OAuth2Settings, refreshToken: string): Promise<TokenResult>;
  /** The client-credentials grant (no person involved); failures come as RenewalError, sorted like refresh failures. */
  clientCredentials(settings: OAuth2Settings, scopes: string[]): Promise<TokenResult>;
  revoke(settings: OAuth2Settings, token: string, hint: 'access_token' | 'refresh_token'): Promise<void>;
  place(settings: OAuth2Settings, accessToken: string): PlacedCredential[];
}

const DISCOVERY_TTL_MS = 10 * 60_000;

function toResult(tokens: TokenSet, settings: OAuth2Settings): TokenResult {
  const refreshExpires = Number(tokens.raw.refresh_expires_in ?? tokens.raw.refresh_token_expires_in);
  const expiresIn = tokens.expiresIn ?? settings.defaultExpiresInSeconds;
  return {
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    tokenType: tokens.tokenType,
    ...(expiresIn !== undefined ? { expiresInSeconds: expiresIn } : {}),
    ...(Number.isFinite(refreshExpires) && refreshExpires > 0 ? { refreshExpiresInSeconds: refreshExpires } : {}),
    ...(tokens.scope ? { scopes: tokens.scope } : {}),
    raw: tokens.raw,
  };
}

/**
 * The service's own words, without anything Hitch sent it: some services quote the
 * request (refresh token, code, client secret) back in `error_description`, and that
 * text ends up in lastError, events and pages.
 */
function serviceSaid(description: string | undefined, sent: Array<string | null | undefined>): string | undefined {
  if (!description) return undefined;
  let text = description;
  for (const secret of sent) {
    if (!secret || secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)])) text = text.split(form).join('[redacted]');
  }
  return text;
}

/** A protocol failure as a person reads it on the callback page. */
function callbackError(error: unknown, sent: Array<string | null | undefined>): unknown {
  if (!(error instanceof OAuthProtocolError)) return error;
  const description = serviceSaid(error.description, sent);
  const said = description ? `: ${description.slice(0, 300)}` : '';
  switch (error.kind) {
    // The service answered, and said no (or the answer failed a check such as `iss`): the request was at fault, so a 4xx.
    case 'invalid_callback':
      return new HitchError('oauth_rejected', { message: `The answer from the service did not pass Hitch's checks (${error.error}); start again from Hitch.` });
    case 'rejected':
      if (error.error === 'access_denied') return new HitchError('oauth_denied', { message: `Access was not granted at the service${said}.` });
      if (error.error === 'invalid_client') return new HitchError('oauth_rejected', { message: `The service refused the OAuth client (invalid_client)${said}: check the Client ID and Client Secret.` });
      return new HitchError('oauth_rejected', { message: `The service refused the authorization (${error.error})${said}; try again.` });
    default:
      return new HitchError('oauth_failed', { message: `${error.message} Try again in a moment.` });
  }
}

/** A protocol failure during renewal, sorted by what it means for the connection's status. */
function renewalError(error: unknown, sent: Array<string | null | undefined> = []): unknown {
  if (error instanceof OAuthProtocolError) {
    const description = serviceSaid(error.description, sent);
    const said = description ? ` (${description.slice(0, 200)})` : '';
    if (error.kind === 'rejected' && error.error === 'invalid_grant') {
      return new RenewalError('grant_revoked', 'invalid_grant', `The service no longer accepts this connection's authorization${said}: reauthorize the connection.`, true);
    }
    if (error.kind === 'rejected' && (error.error === 'invalid_client' || error.error === 'unauthorized_client')) {
      return new RenewalError('client_rejected', error.error, `The service refused Hitch's OAuth client (${error.error})${said}: an administrator must fix the app's Client ID and Client Secret.`, true);
    }
    return new RenewalError('transient', error.error, `Renewing the access failed: ${error.message}`, error.answered);
  }
  if (isHitchError(error)) {
    if (error.code === 'reauthorization_required') return new RenewalError('grant_revoked', 'destination_changed', error.message, false);
    if (error.code === 'network_blocked' || error.code === 'validation_failed' || error.code === 'client_missing') return new RenewalError('client_rejected', error.code, error.message, false);
    return new RenewalError('transient', error.code, error.message, false);
  }
  return error;
}

export function createOAuth2Protocol(deps: { outbound: Outbound; network: Config['network'] }): OAuth2Protocol {
  const discovered = new Map<string, { server: Readonly<AuthorizationServer>; at: number }>();
  const policy = createNetworkPolicy(deps.network);

  /**
   * How the protocol steps reach these endpoints. oauth4webapi sends with
   * `redirect: 'manual'` and Outbound.fetch follows no redirect, so a client
   * secret, code or refresh token never follows one. Plain http is accepted only
   * for a host the administrator opened on purpose (HITCH_ALLOWED_HOSTS lists it,
   * or HITCH_ALLOW_PRIVATE_NETWORK): listing one host does not let the endpoints
   * of every other host downgrade to http.
   */
  function protocolOptions(...urls: Array<string | undefined>): ProtocolOptions {
    const insecure = urls.filter((u): u is string => u !== undefined && /^http:/i.test(u));
    const unlisted = deps.network.allowPrivateNetwork ? [] : insecure.filter((u) => !URL.canParse(u) || !policy.lists(new URL(u).hostname));
    if (unlisted.length) {
      throw invalidField('parameters', `OAuth endpoints must use https:// so that tokens never travel in clear: write ${unlisted.map((u) => (URL.canParse(u) ? new URL(u).host : u)).join(', ')} with https://.`);
    }
    return { fetch: deps.outbound.fetch, ...(insecure.length ? { allowInsecureRequests: true } : {}) };
  }

  /** Options for calls to the token endpoint, which read a nested token set where the app says it is. */
  function tokenCallOptions(settings: OAuth2Settings): ProtocolOptions {
    const options = protocolOptions(settings.tokenUrl);
    return settings.tokenPath ? { ...options, fetch: fetchLiftingTokenSet(options.fetch, settings.tokenPath) } : options;
  }

  function serverOf(settings: OAuth2Settings): Readonly<AuthorizationServer> {
    // Client credentials never send anyone to an authorize endpoint, so only the token endpoint is needed.
    const authorizeUrl = settings.authorizeUrl ?? (settings.flow === 'client_credentials' ? settings.tokenUrl : undefined);
    if (!authorizeUrl || !settings.tokenUrl) {
      throw invalidField('parameters.authorizeUri', 'The Authorize URI and Token URI are needed, unless an Issuer is given that publishes them.');
    }
    try {
      return defineAuthorizationServer({
        ...(settings.issuer ? { issuer: settings.issuer } : {}),
        authorization_endpoint: authorizeUrl,
        token_endpoint: settings.tokenUrl,
        ...(settings.revokeUrl ? { revocation_endpoint: settings.revokeUrl } : {}),
      });
    } catch (error) {
      throw invalidField('parameters', `The app's OAuth endpoints are not valid URLs: ${(error as Error).message}`);
    }
  }

  function clientContext(settings: OAuth2Settings): ClientContext {
    const client = requireClient(settings);
    if (!client.clientSecret) throw new HitchError('client_missing', { message: 'The OAuth client has no Client Secret: enter it under advanced settings.', details: { field: 'parameters.clientSecret' } });
    return { server: serverOf(settings), client: { clientId: client.clientId, clientSecret: client.clientSecret }, clientAuth: settings.clientAuth };
  }

  return {
    async complete(settings) {
      if (!settings.issuer || (settings.authorizeUrl && settings.tokenUrl)) {
        serverOf(settings);
        requireClient(settings);
        return settings;
      }
      const cached = discovered.get(settings.issuer);
      let server = cached && Date.now() - cached.at < DISCOVERY_TTL_MS ? cached.server : undefined;
      if (!server) {
        try {
          server = await discover(settings.issuer, protocolOptions(settings.issuer));
        } catch (error) {
          if (isHitchError(error) && error.code !== 'upstream_unreachable' && error.code !== 'upstream_timeout') throw error;
          throw invalidField('parameters.issuer', `Hitch could not read the OpenID configuration of ${settings.issuer}: check the Issuer.`);
        }
        discovered.set(settings.issuer, { server, at: Date.now() });
      }
      const completed: OAuth2Settings = {
        ...settings,
        authorizeUrl: settings.authorizeUrl ?? server.authorization_endpoint,
        tokenUrl: settings.tokenUrl ?? server.token_endpoint,
        revokeUrl: settings.revokeUrl ?? server.revocation_endpoint,
        verify: settings.verify ?? (server.userinfo_endpoint ? { method: 'GET', url: server.userinfo_endpoint, accountId: ['sub'], accountLabel: ['email', 'preferred_username', 'name', 'sub'] } : undefined),
      };
      requireClient(completed);
      return completed;
    },

    newPkce: () => createPkce(),

    authorizationUrl(settings, input) {
      const client = requireClient(settings);
      return buildAuthorizationUrl({
        server: serverOf(settings),
        client: { clientId: client.clientId },
        redirectUri: input.redirectUri,
        scopes: input.scopes,
        scopeSeparator: settings.scopeSeparator,
        scopeParameter: settings.scopeParameter,
        state: input.state,
        pkce: input.codeChallenge ? { challenge: input.codeChallenge } : null,
        extraParameters: settings.authorizeParameters,
      }).toString();
    },

    async exchangeCode(settings, input) {
      try {
        const tokens = await exchangeAuthorizationCode({
          ...clientContext(settings),
          ...tokenCallOptions(settings),
          redirectUri: input.redirectUri,
          callbackParameters: input.callbackParameters,
          expectedState: input.expectedState,
          pkceVerifier: input.pkceVerifier,
          ...(input.expectedIssuer ? { expectedIssuer: input.expectedIssuer } : {}),
          extraParameters: settings.tokenParameters,
          headers: settings.tokenHeaders,
          scopeSeparator: settings.scopeSeparator,
        });
        return toResult(tokens, settings);
      } catch (error) {
        throw callbackError(error, [input.callbackParameters.get('code'), input.pkceVerifier, settings.client?.clientSecret]);
      }
    },

    async refresh(settings, refreshToken) {
      try {
        const tokens = await refreshTokenGrant({
          ...clientContext(settings),
          ...tokenCallOptions(settings),
          refreshToken,
          extraParameters: settings.refreshParameters,
          headers: settings.tokenHeaders,
          scopeSeparator: settings.scopeSeparator,
        });
        return toResult(tokens, settings);
      } catch (error) {
        throw renewalError(error, [refreshToken, settings.client?.clientSecret]);
      }
    },

    async clientCredentials(settings, scopes) {
      try {
        const tokens = await clientCredentialsGrant({
          ...clientContext(settings),
          ...tokenCallOptions(settings),
          scopes,
          extraParameters: settings.tokenParameters,
          headers: settings.tokenHeaders,
          scopeSeparator: settings.scopeSeparator,
        });
        return toResult(tokens, settings);
      } catch (error) {
        throw renewalError(error, [settings.client?.clientSecret]);
      }
    },

    async revoke(settings, token, hint) {
      await revokeToken({ ...clientContext(settings), ...protocolOptions(settings.revokeUrl), token, tokenTypeHint: hint, headers: settings.tokenHeaders });
    },

    place: (settings, accessToken) => placeBearerToken(accessToken, settings.placement),
  };
}

/** Renewal of an OAuth 2.0 connection: the refresh-token grant. */
export function oauth2Renewer(oauth2: OAuth2Protocol, settingsOf: (row: ConnectionRow, secrets?: ConnectionSecrets) => Promise<{ settings: OAuth2Settings }>): Renewer {
  return async (row, secrets) => {
    if (!secrets.refreshToken) {
      throw new RenewalError('grant_revoked', 'not_renewable', 'The access expired and the service gave no way to renew it: reauthorize the connection.', false);
    }
    let settings: OAuth2Settings;
    try {
      ({ settings } = await settingsOf(row, secrets));
    } catch (error) {
      throw renewalError(error);
    }
    if (secrets.tokenEndpoint !== undefined && secrets.tokenEndpoint !== settings.tokenUrl) {
      throw new RenewalError('grant_revoked', 'token_endpoint_changed', "The connection's token endpoint changed after it was authorized, and its refresh token is sent only where it came from: reauthorize the connection.", false);
    }
    const tokens = await oauth2.refresh(settings, secrets.refreshToken);
    const now = Date.now();
    const renewed: ConnectionSecrets = {
      ...secrets,
      ...(settings.tokenUrl ? { tokenEndpoint: settings.tokenUrl } : {}),
      accessToken: tokens.accessToken,
      // No refresh token in the answer: the old one stays valid (RFC 6749 §6).
      refreshToken: tokens.refreshToken ?? secrets.refreshToken,
      ...(tokens.tokenType ? { tokenType: tokens.tokenType } : {}),
    };
    return {
      secrets: renewed,
      expiresAt: tokens.expiresInSeconds !== undefined ? now + tokens.expiresInSeconds * 1000 : null,
      ...(tokens.scopes ? { scopes: tokens.scopes } : {}),
      ...(tokens.refreshExpiresInSeconds !== undefined ? { renewBy: now + tokens.refreshExpiresInSeconds * 1000 } : {}),
    };
  };
}

/** Where an OAuth 2.0 connection's token goes on requests, from the app's placement. */
export function oauth2Placer(catalog: Catalog, env?: NodeJS.ProcessEnv): Placer {
  return (row, secrets) => {
    const app = catalog.require(row.app);
    const kind = catalog.kind(app, row.auth);
    if (kind.type !== 'oauth2' || !secrets.accessToken) throw new HitchError('connection_not_authorized');
    const data = parseData(row);
    assertSameDestinations(kind, data.parameters, secrets.destinations);
    const settings = resolveOAuth2(app, kind, { values: data.parameters, data: data.learned, secrets: secrets.parameters }, env);
    return { placed: placeBearerToken(secrets.accessToken, settings.placement), baseUrl: settings.baseUrl, allowedHosts: app.hosts };
  };
}
