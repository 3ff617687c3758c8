import { placeSessionValues } from '../../auth/inject.ts';
import { loginRequest, processLoginResponse, type LoginResult } from '../../auth/session/login.ts';
import { resolveSession, type SessionSettings } from '../../catalog/resolve-session.ts';
import type { Outbound } from '../../outbound/types.ts';
import type { ConnectionSecrets } from '../model.ts';
import { fetchAccount } from '../verify-request.ts';
import type { ConnectionKind, RenewedTokens } from './kind.ts';

/**
 * Session login: the user name and password (or key) are exchanged by a login
 * request for a session (Axelor's JSESSIONID cookie, a token in a JSON answer,
 * a CSRF token beside it). The values are kept encrypted with the connection's
 * secrets, placed on every call as cookies or headers, and renewed by logging
 * in again — before the session lapses, and once when the service says it did.
 */
export function sessionKind(outbound: Outbound): ConnectionKind<SessionSettings> {
  async function login(settings: SessionSettings): Promise<LoginResult> {
    const lifetime = { path: settings.lifetimePath, defaultSeconds: settings.lifetimeSeconds };
    const response = await loginRequest(outbound.fetch, settings.login);
    return processLoginResponse(response, settings.values, lifetime, Date.now());
  }

  /** The secrets with a new session: what the person entered and where it may go stay as they were. */
  const withSession = (previous: ConnectionSecrets, session: LoginResult): ConnectionSecrets => ({
    parameters: previous.parameters,
    ...(previous.destinations ? { destinations: previous.destinations } : {}),
    kindSecrets: session.values,
  });

  return {
    type: 'session',
    words: 'these sign-in details',
    resolve: (_app, definition, input) => {
      if (definition.type !== 'session') throw new TypeError(`session cannot resolve a ${definition.type} kind`);
      return resolveSession(definition, { values: input.values, secrets: input.secrets });
    },
    place: (settings, secrets) => placeSessionValues(settings.values, secrets.kindSecrets ?? {}),

    async accept(settings, input) {
      const session = await login(settings);
      const placed = placeSessionValues(settings.values, session.values);
      const account = await fetchAccount(outbound, settings.verify, placed, input.expiredWhen);
      return {
        secrets: withSession({ parameters: input.secrets }, session),
        expiresAt: session.expiresAt,
        scopes: [],
        account,
        verified: settings.verify !== undefined,
      };
    },

    async renew(settings, secrets): Promise<RenewedTokens> {
      const session = await login(settings);
      return { secrets: withSession(secrets, session), expiresAt: session.expiresAt };
    },

    // Ending the session at the service is a courtesy: a failure leaves it to lapse on its own.
    async revoke(settings, secrets) {
      if (!settings.logoutUrl || !secrets.kindSecrets) return;
      await outbound.request({
        url: settings.logoutUrl,
        method: 'GET',
        maxRedirects: 0,
        credentials: placeSessionValues(settings.values, secrets.kindSecrets),
      });
    },
  };
}
