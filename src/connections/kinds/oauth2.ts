import {
  buildAuthorizationUrl,
  clientCredentialsGrant,
  createPkce,
  defineAuthorizationServer,
  discover,
  exchangeAuthorizationCode,
  longLivedTokenRequest,
  refreshTokenGrant,
  revokeToken,
  tokenExchangeGrant,
  validateAuthorizationResponse,
  type AuthorizationResponse,
  type AuthorizationServer,
  type ClientContext,
  type TokenRequestInput,
  type TokenSet,
} from '../../auth/oauth2/index.ts';
import { OAuthProtocolError } from '../../auth/oauth2/errors.ts';
import { createProtocolOptions } from './protocol-options.ts';
import { placeBearerToken } from '../../auth/inject.ts';
import { Redactor } from '../../auth/redaction.ts';
import { requireClient, resolveOAuth2, type OAuth2Settings } from '../../catalog/resolve.ts';
import type { NonExpiringTokensDefinition } from '../../catalog/schema.ts';
import type { Config } from '../../config.ts';
import { HitchError, invalidField, isHitchError } from '../../errors.ts';
import type { Outbound } from '../../outbound/types.ts';
import type { ConnectionSecrets } from '../model.ts';
import { fetchLiftingTokenSet } from '../nested-token-response.ts';
import {
  GrantUnusable,
  type Consent,
  type Consented,
  type FlowSecrets,
  type ConnectionKind,
  type RenewedTokens,
} from './kind.ts';

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
  authorizationUrl(
    settings: OAuth2Settings,
    input: { redirectUri: string; scopes: string[]; state: string; codeChallenge: string | null },
  ): string;
  exchangeCode(
    settings: OAuth2Settings,
    input: {
      redirectUri: string;
      callbackParameters: URLSearchParams;
      expectedState: string;
      pkceVerifier: string | null;
      expectedIssuer: string | undefined;
    },
  ): Promise<TokenResult>;
  refresh(settings: OAuth2Settings, refreshToken: string): Promise<TokenResult>;
  /** RFC 8693's token exchange of a token that never expires for an expiring one (Shopify's migration). */
  exchangeToken(
    settings: OAuth2Settings,
    subjectToken: string,
    exchange: NonNullable<NonExpiringTokensDefinition['exchange']>,
  ): Promise<TokenResult>;
  /**
   * The app's long-lived-token step (Instagram, Threads, Facebook Login): `exchange` trades the code's
   * short-lived token for a long-lived one, `refresh` (where the service has one) renews the long-lived token itself.
   */
  longLivedToken(settings: OAuth2Settings, accessToken: string, step: 'exchange' | 'refresh'): Promise<TokenResult>;
  /** The client-credentials grant (no person involved). */
  clientCredentials(settings: OAuth2Settings, scopes: string[]): Promise<TokenResult>;
  revoke(settings: OAuth2Settings, token: string, hint: 'access_token' | 'refresh_token'): Promise<void>;
  /** The callback's checks — state, RFC 9207 `iss`, an `error` answer, a code — before anything is exchanged. */
  checkCallback(
    settings: OAuth2Settings,
    input: { callbackParameters: URLSearchParams; expectedState: string; expectedIssuer: string | undefined },
  ): AuthorizationResponse;
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
 * The error with the service's own words cut free of anything Hitch sent it: some
 * services quote the request (refresh token, code, client secret) back in
 * `error_description`, and that text ends up in lastError, events and pages.
 */
export function scrubbed(error: unknown, sent: Array<string | null | undefined>): unknown {
  if (!(error instanceof OAuthProtocolError) || !error.description) return error;
  const redactor = new Redactor();
  redactor.addSecrets(sent.filter((secret): secret is string => typeof secret === 'string'));
  const text = redactor.text(error.description);
  if (text === error.description) return error;
  return new OAuthProtocolError({
    kind: error.kind,
    error: error.error,
    message: error.message,
    description: text,
    status: error.status,
    answered: error.answered,
    cause: error.cause,
  });
}

export function createOAuth2Protocol(deps: { outbound: Outbound; network: Config['network'] }): OAuth2Protocol {
  const discovered = new Map<string, { server: Readonly<AuthorizationServer>; at: number }>();
  const protocolOptions = createProtocolOptions(deps);

  /**
   * Options for calls to the token endpoint (or the refresh endpoint), which read a nested token
   * set where the app says it is, in the body encoding and lifetime unit the app says.
   */
  function tokenCallOptions(settings: OAuth2Settings, endpoint = settings.tokenUrl) {
    const options = protocolOptions(endpoint);
    return {
      ...options,
      ...(settings.tokenPath ? { fetch: fetchLiftingTokenSet(options.fetch, settings.tokenPath) } : {}),
      bodyEncoding: settings.tokenRequestBody,
      expiry: settings.tokenExpiry,
      headers: settings.tokenHeaders,
      scopeSeparator: settings.scopeSeparator,
    };
  }

  /** What a refresh sends besides the token. Made once per shared settings object: the sweep renews thousands with one. */
  const refreshCalls = new WeakMap<OAuth2Settings, TokenRequestInput>();
  function refreshCall(settings: OAuth2Settings): TokenRequestInput {
    // Only a frozen object is known not to change after its call was made.
    const shared = Object.isFrozen(settings);
    let call = shared ? refreshCalls.get(settings) : undefined;
    if (!call) {
      // A separate refresh endpoint (Figma's) stands in for the token endpoint of this one call.
      const refreshUrl = settings.refreshUrl ?? settings.tokenUrl;
      call = { ...clientContext({ ...settings, tokenUrl: refreshUrl }), ...tokenCallOptions(settings, refreshUrl) };
      if (shared) refreshCalls.set(settings, call);
    }
    return call;
  }

  function serverOf(settings: OAuth2Settings): Readonly<AuthorizationServer> {
    // Client credentials never send anyone to an authorize endpoint, so only the token endpoint is needed.
    const authorizeUrl =
      settings.authorizeUrl ?? (settings.flow === 'client_credentials' ? settings.tokenUrl : undefined);
    if (!authorizeUrl || !settings.tokenUrl) {
      throw invalidField(
        'parameters.authorizeUri',
        'The Authorize URI and Token URI are needed, unless an Issuer is given that publishes them.',
      );
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
    if (!client.clientSecret)
      throw new HitchError('client_missing', {
        message: 'The OAuth client has no Client Secret: enter it under advanced settings.',
        details: { field: 'parameters.clientSecret' },
      });
    return {
      server: serverOf(settings),
      client: { clientId: client.clientId, clientSecret: client.clientSecret },
      clientAuth: settings.clientAuth,
    };
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
          if (isHitchError(error) && error.code !== 'upstream_unreachable' && error.code !== 'upstream_timeout')
            throw error;
          throw invalidField(
            'parameters.issuer',
            `Hitch could not read the OpenID configuration of ${settings.issuer}: check the Issuer.`,
          );
        }
        discovered.set(settings.issuer, { server, at: Date.now() });
      }
      const completed: OAuth2Settings = {
        ...settings,
        authorizeUrl: settings.authorizeUrl ?? server.authorization_endpoint,
        tokenUrl: settings.tokenUrl ?? server.token_endpoint,
        refreshUrl: settings.refreshUrl ?? server.token_endpoint,
        revokeUrl: settings.revokeUrl ?? server.revocation_endpoint,
        verify:
          settings.verify ??
          (server.userinfo_endpoint
            ? {
                method: 'GET',
                url: server.userinfo_endpoint,
                accountId: ['sub'],
                accountLabel: ['email', 'preferred_username', 'name', 'sub'],
              }
            : undefined),
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
          codeParameter: settings.codeParameter,
          extraParameters: settings.tokenParameters,
        });
        return toResult(tokens, settings);
      } catch (error) {
        throw scrubbed(error, [
          input.callbackParameters.get(settings.codeParameter),
          input.pkceVerifier,
          settings.client?.clientSecret,
        ]);
      }
    },

    async refresh(settings, refreshToken) {
      try {
        const tokens = await refreshTokenGrant({
          ...refreshCall(settings),
          refreshToken,
          extraParameters: settings.refreshParameters,
        });
        return toResult(tokens, settings);
      } catch (error) {
        throw scrubbed(error, [refreshToken, settings.client?.clientSecret]);
      }
    },

    async exchangeToken(settings, subjectToken, exchange) {
      try {
        const tokens = await tokenExchangeGrant({
          ...clientContext(settings),
          ...tokenCallOptions(settings),
          subjectToken,
          subjectTokenType: exchange.subjectTokenType,
          ...(exchange.requestedTokenType ? { requestedTokenType: exchange.requestedTokenType } : {}),
          extraParameters: exchange.parameters,
        });
        return toResult(tokens, settings);
      } catch (error) {
        throw scrubbed(error, [subjectToken, settings.client?.clientSecret]);
      }
    },

    async longLivedToken(settings, accessToken, step) {
      const request = settings.longLivedToken?.[step];
      if (!request) throw new TypeError(`The app has no long-lived token ${step} request.`);
      try {
        const tokens = await longLivedTokenRequest({
          ...clientContext(settings),
          ...protocolOptions(request.url),
          url: request.url,
          grantType: request.grantType,
          accessToken,
          tokenParameter: request.tokenParameter,
          sendClientId: request.clientId,
          sendClientSecret: request.clientSecret,
          headers: settings.tokenHeaders,
          expiry: settings.tokenExpiry,
        });
        return toResult(tokens, settings);
      } catch (error) {
        throw scrubbed(error, [accessToken, settings.client?.clientSecret]);
      }
    },

    async clientCredentials(settings, scopes) {
      try {
        const tokens = await clientCredentialsGrant({
          ...clientContext(settings),
          ...tokenCallOptions(settings),
          scopes,
          extraParameters: settings.tokenParameters,
        });
        return toResult(tokens, settings);
      } catch (error) {
        throw scrubbed(error, [settings.client?.clientSecret]);
      }
    },

    async revoke(settings, token, hint) {
      await revokeToken({
        ...clientContext(settings),
        ...protocolOptions(settings.revokeUrl),
        token,
        tokenTypeHint: hint,
        headers: settings.tokenHeaders,
        bodyEncoding: settings.tokenRequestBody,
      });
    },

    checkCallback(settings, input) {
      const client = requireClient(settings);
      return validateAuthorizationResponse({
        server: serverOf(settings),
        client: { clientId: client.clientId },
        ...input,
        codeParameter: settings.codeParameter,
      });
    },
  };
}

/** A token answer as the secrets an authorization-code connection keeps after a refresh. */
export function refreshedTokens(
  tokens: TokenResult,
  previous: ConnectionSecrets,
  tokenEndpoint: string | undefined,
  now: number,
): RenewedTokens {
  return {
    secrets: {
      ...previous,
      ...(tokenEndpoint ? { tokenEndpoint } : {}),
      accessToken: tokens.accessToken,
      // No refresh token in the answer: the old one stays valid (RFC 6749 §6).
      ...((tokens.refreshToken ?? previous.refreshToken)
        ? { refreshToken: tokens.refreshToken ?? previous.refreshToken }
        : {}),
      ...(tokens.tokenType ? { tokenType: tokens.tokenType } : {}),
    },
    expiresAt: tokens.expiresInSeconds !== undefined ? now + tokens.expiresInSeconds * 1000 : null,
    ...(tokens.scopes ? { scopes: tokens.scopes } : {}),
    ...(tokens.refreshExpiresInSeconds !== undefined ? { renewBy: now + tokens.refreshExpiresInSeconds * 1000 } : {}),
  };
}

/** Best-effort revocation of an OAuth 2.0 connection's grant (RFC 7009), refresh token first. */
export async function revokeGrant(
  protocol: OAuth2Protocol,
  settings: OAuth2Settings,
  secrets: ConnectionSecrets,
): Promise<void> {
  if (!settings.revokeUrl) return;
  const token = secrets.refreshToken ?? secrets.accessToken;
  if (!token) return;
  await protocol.revoke(settings, token, secrets.refreshToken ? 'refresh_token' : 'access_token');
}

/** The bearer token where the app's placement says. */
export function placeAccessToken(settings: OAuth2Settings, secrets: ConnectionSecrets) {
  if (!secrets.accessToken) throw new HitchError('connection_not_authorized');
  return placeBearerToken(secrets.accessToken, settings.placement);
}

/** Values the app keeps from the callback's query (QuickBooks' realmId) and the token response (Salesforce's instance_url). */
function learnedValues(
  query: URLSearchParams,
  tokens: TokenResult,
  settings: { keepFromCallback: string[]; keepFromTokenResponse: string[] },
): Record<string, string> {
  const learned: Record<string, string> = {};
  for (const name of settings.keepFromCallback) {
    const v = query.get(name);
    if (v) learned[name] = v.slice(0, 2048);
  }
  for (const name of settings.keepFromTokenResponse) {
    const v = tokens.raw[name];
    if (typeof v === 'string' || typeof v === 'number') learned[name] = String(v).slice(0, 2048);
  }
  return learned;
}

/**
 * The code exchange's short-lived token traded at once for a long-lived one (Instagram's
 * `ig_exchange_token`). The code exchange's answer stays readable beside the new one for
 * `keepFromTokenResponse` (Instagram's `user_id` comes only with the code).
 */
async function longLived(protocol: OAuth2Protocol, settings: OAuth2Settings, exchanged: TokenResult) {
  const tokens = await protocol.longLivedToken(settings, exchanged.accessToken, 'exchange');
  return { ...tokens, scopes: tokens.scopes ?? exchanged.scopes, raw: { ...exchanged.raw, ...tokens.raw } };
}

/**
 * The authorization-code grant's browser step (RFC 6749 §4.1): PKCE S256 when the
 * app allows it, the verifier kept as the flow's secret; the callback's answer is
 * checked (state, RFC 9207 `iss`, an `error`) before the code is exchanged.
 */
export function authorizationCodeConsent(protocol: OAuth2Protocol): Consent<OAuth2Settings> {
  return {
    async start(settings, input) {
      const pkce = settings.pkce ? await protocol.newPkce() : null;
      const authorizeUrl = protocol.authorizationUrl(settings, { ...input, codeChallenge: pkce?.challenge ?? null });
      const flowSecrets: FlowSecrets = pkce ? { pkceVerifier: pkce.verifier } : {};
      return { authorizeUrl, flowSecrets };
    },

    check(settings, answer) {
      protocol.checkCallback(settings, answer);
    },

    async finish(settings, input): Promise<Consented> {
      const exchanged = await protocol.exchangeCode(settings, {
        redirectUri: input.redirectUri,
        callbackParameters: input.callbackParameters,
        expectedState: input.expectedState,
        pkceVerifier: input.flowSecrets.pkceVerifier ?? null,
        expectedIssuer: input.expectedIssuer,
      });
      const tokens = settings.longLivedToken ? await longLived(protocol, settings, exchanged) : exchanged;
      return {
        credentials: {
          accessToken: tokens.accessToken,
          ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
          ...(tokens.tokenType ? { tokenType: tokens.tokenType } : {}),
        },
        ...(tokens.expiresInSeconds !== undefined ? { expiresInSeconds: tokens.expiresInSeconds } : {}),
        ...(tokens.refreshExpiresInSeconds !== undefined
          ? { refreshExpiresInSeconds: tokens.refreshExpiresInSeconds }
          : {}),
        ...(tokens.scopes ? { scopes: tokens.scopes } : {}),
        learned: learnedValues(input.callbackParameters, tokens, settings),
        tokenEndpoint: settings.tokenUrl,
        // The long-lived token is renewed by itself, ahead of its end, though no refresh token came.
        ...(settings.longLivedToken?.refresh ? { renewable: true } : {}),
      };
    },
  };
}

/**
 * OAuth 2.0 with a person's consent (the authorization-code grant): the browser
 * goes to the service, comes back to the callback, and the refresh-token grant
 * renews what it gave. A refresh token goes only to the token endpoint that issued it.
 */
export function oauth2Kind(protocol: OAuth2Protocol): ConnectionKind<OAuth2Settings> & { protocol: OAuth2Protocol } {
  return {
    type: 'oauth2',
    flow: 'authorization_code',
    words: 'this OAuth client',
    protocol,
    resolve: (app, definition, input) => {
      if (definition.type !== 'oauth2') throw new TypeError(`oauth2 cannot resolve a ${definition.type} kind`);
      return resolveOAuth2(
        app,
        definition,
        { values: input.values, data: input.learned, secrets: input.secrets },
        input.platform,
      );
    },
    prepare: (settings) => protocol.complete(settings),
    place: placeAccessToken,
    consent: authorizationCodeConsent(protocol),

    async renew(settings, secrets) {
      if (settings.longLivedToken?.refresh) {
        // The access token is its own grant: it buys its successor, and the endpoint is the app's.
        if (!secrets.accessToken) throw new GrantUnusable('not_renewable');
        const tokens = await protocol.longLivedToken(settings, secrets.accessToken, 'refresh');
        return refreshedTokens(tokens, secrets, settings.tokenUrl, Date.now());
      }
      if (!secrets.refreshToken) throw new GrantUnusable('not_renewable');
      if (
        secrets.tokenEndpoint !== undefined &&
        secrets.tokenEndpoint !== settings.tokenUrl &&
        !settings.formerTokenUrls.includes(secrets.tokenEndpoint)
      )
        throw new GrantUnusable('token_endpoint_changed');
      const tokens = await protocol.refresh(settings, secrets.refreshToken);
      return refreshedTokens(tokens, secrets, settings.tokenUrl, Date.now());
    },

    async exchangeNonExpiring(settings, secrets, exchange) {
      if (!secrets.accessToken) throw new GrantUnusable('not_renewable');
      const tokens = await protocol.exchangeToken(settings, secrets.accessToken, exchange);
      // Only the refresh token the answer brings renews the new token: the exchange spent the old grant.
      const kept: ConnectionSecrets = { ...secrets };
      delete kept.refreshToken;
      return refreshedTokens(tokens, kept, settings.tokenUrl, Date.now());
    },

    revoke: (settings, secrets) => revokeGrant(protocol, settings, secrets),
  };
}
