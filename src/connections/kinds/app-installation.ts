import { timingSafeEqual } from 'node:crypto';
import { importSigningKey, signAssertion } from '../../auth/jwt/assertion.ts';
import {
  findUserInstallation,
  requestInstallationToken,
  revokeInstallationToken,
} from '../../auth/jwt/app-installation.ts';
import { placeBearerToken } from '../../auth/inject.ts';
import { defineAuthorizationServer, exchangeAuthorizationCode, OAuthProtocolError } from '../../auth/oauth2/index.ts';
import type { JwtInstallationSettings } from '../../catalog/resolve-jwt.ts';
import { resolveJwt } from '../../catalog/resolve-jwt.ts';
import type { PlatformApp } from '../../platform-apps.ts';
import { HitchError } from '../../errors.ts';
import type { ConnectionSecrets } from '../model.ts';
import { GrantUnusable, type ConnectionKind, type KindDeps } from './kind.ts';
import { scrubbed } from './oauth2.ts';
import { createProtocolOptions } from './protocol-options.ts';

/** GitHub: set `iat` a minute in the past against clock drift. */
const APP_JWT_BACKDATE_S = 60;
const INSTALLATION_ID = /^[0-9]{1,20}$/;

function invalidCallback(error: string, message: string): OAuthProtocolError {
  return new OAuthProtocolError({ kind: 'invalid_callback', error, message, answered: false });
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A GitHub App's installation, as a connection. The app and its private key are
 * the platform's (HITCH_APP_<ID>_APP_*); a person creates the connection by
 * installing the app from its install page, which comes back to Hitch's callback
 * with `installation_id`, `setup_action`, the `state` Hitch sent and — with
 * "Request user authorization (OAuth) during installation" on — a `code`.
 *
 * The `installation_id` in that query is not trusted: anyone can type one. The
 * state binds the answer to the flow and the signed-in user (the core checks it),
 * the code is exchanged for a user token of the person who installed, and the
 * installation must be among those that user token may use (GET
 * /user/installations). Only then does the app JWT buy an installation token. The
 * user token is used for that check alone and is not kept.
 *
 * @see https://docs.github.com/en/apps/creating-github-apps/setting-up-a-github-app/about-the-setup-url
 * @see https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-user-access-token-for-a-github-app
 */
export function appInstallationKind(
  deps: Omit<KindDeps, 'platformApps'> & { apps: (appId: string) => PlatformApp | null },
): ConnectionKind<JwtInstallationSettings> {
  const protocolOptions = createProtocolOptions(deps);

  function appOf(settings: JwtInstallationSettings): PlatformApp {
    if (!settings.app)
      throw new HitchError('client_missing', {
        message:
          'This app needs the platform’s own app, which is not configured: an administrator must set HITCH_APP_<ID>_APP_SLUG, _APP_CLIENT_ID, _APP_CLIENT_SECRET and _APP_PRIVATE_KEY.',
      });
    return settings.app;
  }

  function required(value: string | undefined, field: string): string {
    if (!value) throw new TypeError(`The app's installation kind has no ${field}.`);
    return value;
  }

  /** An app JWT (RS256, `iss` the app's client ID, at most ten minutes). */
  async function appJwt(settings: JwtInstallationSettings): Promise<string> {
    const app = appOf(settings);
    return signAssertion({
      claims: { iss: app.clientId },
      key: importSigningKey(app.privateKey, 'RS256'),
      algorithm: 'RS256',
      lifetimeSeconds: settings.lifetimeSeconds,
      backdateSeconds: APP_JWT_BACKDATE_S,
    });
  }

  async function installationToken(settings: JwtInstallationSettings, installationId: string) {
    const url = required(settings.accessTokenUrl(installationId), 'accessTokenUrl');
    const jwt = await appJwt(settings);
    try {
      return await requestInstallationToken({
        url,
        headers: settings.apiHeaders,
        appJwt: jwt,
        ...protocolOptions(url),
      });
    } catch (error) {
      throw scrubbed(error, [jwt]);
    }
  }

  const place = (settings: JwtInstallationSettings, secrets: ConnectionSecrets) => {
    if (!secrets.accessToken) throw new HitchError('connection_not_authorized');
    return placeBearerToken(secrets.accessToken, settings.placement);
  };

  return {
    type: 'jwt',
    flow: 'installation',
    words: 'this installation',
    resolve(app, definition, input) {
      if (definition.type !== 'jwt') throw new TypeError(`jwt cannot resolve a ${definition.type} kind`);
      const settings = resolveJwt(definition, { ...input, app: deps.apps(app.id) });
      if (settings.flow !== 'installation') throw new TypeError('the installation kind resolves the installation flow');
      return settings;
    },
    place,

    consent: {
      async start(settings, input) {
        appOf(settings);
        const url = new URL(required(settings.installUrl, 'installUrl'));
        url.searchParams.set('state', input.state);
        return { authorizeUrl: url.toString(), flowSecrets: {} };
      },

      check(_settings, answer) {
        const query = answer.callbackParameters;
        const state = query.get('state');
        if (!state || !sameText(state, answer.expectedState))
          throw invalidCallback('state_mismatch', 'The state in the answer is not the one Hitch sent.');
        const error = query.get('error');
        if (error)
          throw new OAuthProtocolError({
            kind: 'rejected',
            error,
            message: `The service refused: ${error}.`,
            description: query.get('error_description') ?? undefined,
            answered: true,
          });
        if (query.get('setup_action') === 'request')
          throw new OAuthProtocolError({
            kind: 'rejected',
            error: 'installation_requested',
            message: 'The installation awaits approval.',
            description:
              'an owner of the organization must approve the installation first; connect again once they have',
            answered: true,
          });
        if (!INSTALLATION_ID.test(query.get('installation_id') ?? ''))
          throw invalidCallback('installation_id_missing', 'The answer names no installation.');
        if (!query.get('code'))
          throw invalidCallback(
            'code_missing',
            'The answer carries no code: the app must have "Request user authorization (OAuth) during installation" on.',
          );
      },

      async finish(settings, input) {
        const app = appOf(settings);
        const installationId = input.callbackParameters.get('installation_id')!;
        const userTokenUrl = required(settings.userTokenUrl, 'userTokenUrl');
        const installationsUrl = required(settings.userInstallationsUrl, 'userInstallationsUrl');
        // The code (RFC 6749 §4.1.3) proves which GitHub user came back; its token serves this check only.
        const user = await exchangeAuthorizationCode({
          server: defineAuthorizationServer({
            authorization_endpoint: required(settings.installUrl, 'installUrl'),
            token_endpoint: userTokenUrl,
          }),
          client: { clientId: app.clientId, clientSecret: app.clientSecret },
          clientAuth: 'client_secret_post',
          redirectUri: input.redirectUri,
          callbackParameters: input.callbackParameters,
          expectedState: input.expectedState,
          pkceVerifier: null,
          ...protocolOptions(userTokenUrl),
        }).catch((error: unknown) => {
          throw scrubbed(error, [input.callbackParameters.get('code'), app.clientSecret]);
        });
        const found = await findUserInstallation({
          url: installationsUrl,
          headers: settings.apiHeaders,
          userToken: user.accessToken,
          installationId,
          ...protocolOptions(installationsUrl),
        });
        if (!found)
          throw invalidCallback(
            'installation_not_yours',
            'The installation in the answer is not one the person who came back may use.',
          );
        const token = await installationToken(settings, installationId);
        return {
          credentials: { accessToken: token.token, tokenType: 'bearer' },
          ...(token.expiresInSeconds !== undefined ? { expiresInSeconds: token.expiresInSeconds } : {}),
          learned: { installation_id: installationId },
          account: found.account,
          renewable: true,
        };
      },
    },

    async renew(settings, secrets) {
      if (!settings.installationId) throw new GrantUnusable('not_renewable');
      const token = await installationToken(settings, settings.installationId);
      return {
        secrets: { ...secrets, accessToken: token.token, tokenType: 'bearer' },
        expiresAt: token.expiresInSeconds !== undefined ? Date.now() + token.expiresInSeconds * 1000 : null,
      };
    },

    async revoke(settings, secrets) {
      if (!settings.revokeTokenUrl || !secrets.accessToken) return;
      await revokeInstallationToken({
        url: settings.revokeTokenUrl,
        headers: settings.apiHeaders,
        token: secrets.accessToken,
        ...protocolOptions(settings.revokeTokenUrl),
      });
    },
  };
}
