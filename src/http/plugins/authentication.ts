import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { TokenPrincipal } from '../../accounts/principal-cache.ts';
import type { AccountsService } from '../../accounts/service.ts';
import { HitchError } from '../../errors.ts';
import type { RequestAuth } from '../services.ts';
import { sessionTokenOf } from '../session-cookie.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const BEARER = /^Bearer\s+(\S+)$/i;

/** The caller an `Authorization: Bearer` header names; 401 when it names no valid API token. */
export async function tokenAuth(accounts: AccountsService, authorization: string): Promise<RequestAuth> {
  const token = BEARER.exec(authorization)?.[1];
  const found = token ? await accounts.principalOf(token) : null;
  if (!found)
    throw new HitchError('unauthenticated', {
      message: 'This API token is not valid: it may have been revoked or have expired.',
    });
  return authOf(found);
}

/** The same caller, when the token's principal is cached (the proxy's hot path waits for nothing); else undefined. */
export function cachedTokenAuth(accounts: AccountsService, authorization: string): RequestAuth | undefined {
  const token = BEARER.exec(authorization)?.[1];
  const found = token ? accounts.cachedPrincipalOf(token) : undefined;
  return found && authOf(found);
}

function authOf({ token, user, teams }: TokenPrincipal): RequestAuth {
  return { user, via: 'token', tokenId: token.tokenId, tokenName: token.name, restriction: token.restriction, teams };
}

async function authenticate(app: FastifyInstance, request: FastifyRequest): Promise<RequestAuth | null> {
  const { accounts } = app.hitch;
  const authorization = request.headers.authorization;
  // A request that names a token is judged by that token alone, never by a cookie riding along.
  if (authorization !== undefined) return tokenAuth(accounts, authorization);
  const token = sessionTokenOf(request);
  if (!token) return null;
  const session = await accounts.resolveSession(token);
  const user = session && (await accounts.getUser(session.userId));
  return session && user ? { user, via: 'session', sessionId: session.id } : null;
}

/**
 * Session-or-token authentication and the Origin check, decided per route by
 * `config.auth` (default: required). A state-changing request riding on the
 * session cookie must come from PUBLIC_URL's origin — browsers always send
 * Origin on such requests, so a forged cross-site request is refused with 403.
 * Bearer requests carry their credential explicitly and are exempt.
 */
async function authenticationPlugin(app: FastifyInstance, options: { publicUrl: string }): Promise<void> {
  const publicOrigin = new URL(options.publicUrl).origin;
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    const requirement = request.routeOptions.config.auth ?? 'required';
    if (request.is404) return;
    if (requirement !== 'none') {
      request.auth = await authenticate(app, request);
      if (!request.auth && requirement === 'required') throw new HitchError('unauthenticated');
      if (
        request.auth?.via === 'token' &&
        request.auth.restriction &&
        !request.routeOptions.config.acceptsRestrictedTokens
      )
        throw new HitchError('token_restricted');
    }

    if (SAFE_METHODS.has(request.method) || request.auth?.via === 'token') return;
    const origin = request.headers.origin;
    if (origin === undefined ? request.auth?.via === 'session' : origin !== publicOrigin) {
      throw new HitchError('origin_mismatch');
    }
  });
}

export default fp(authenticationPlugin, { name: 'hitch-authentication', dependencies: ['@fastify/cookie'] });
