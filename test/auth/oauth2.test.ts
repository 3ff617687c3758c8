import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAuthorizationUrl,
  clientCredentialsGrant,
  createPkce,
  defineAuthorizationServer,
  discover,
  exchangeAuthorizationCode,
  joinScopes,
  OAuthProtocolError,
  refreshTokenGrant,
  revokeToken,
  splitScopes,
  validateAuthorizationResponse,
  type AuthorizationServer,
  type ClientAuthMethod,
  type TokenSet,
} from '../../src/auth/oauth2/index.ts';
import { startOAuthServer, type OAuthServer, type TestClient } from '../peers/oauth-server.ts';

const REDIRECT_URI = 'http://127.0.0.1:1/oauth/callback';
const net = { fetch: globalThis.fetch, allowInsecureRequests: true } as const;

async function failure(promise: Promise<unknown>): Promise<OAuthProtocolError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuthProtocolError);
  return error as OAuthProtocolError;
}

/** The error `fn` throws, or undefined. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error;
  }
}

async function whoAmI(
  server: OAuthServer,
  accessToken: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(server.userinfoEndpoint, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: res.status, body: res.status === 200 ? ((await res.json()) as Record<string, unknown>) : {} };
}

/** Starts a flow, lets the person answer, returns what the callback would receive. */
async function authorizeAt(
  server: OAuthServer,
  as: AuthorizationServer,
  client: TestClient,
  scopes: string[],
  person: Parameters<OAuthServer['authorize']>[1] = { login: 'alice@example.com' },
): Promise<{ callback: URLSearchParams; state: string; verifier: string }> {
  const pkce = await createPkce();
  const state = randomBytes(16).toString('base64url');
  const url = buildAuthorizationUrl({ server: as, client, redirectUri: REDIRECT_URI, scopes, state, pkce });
  const { callbackUrl } = await server.authorize(url, person);
  return { callback: new URL(callbackUrl).searchParams, state, verifier: pkce.verifier };
}

async function signIn(
  server: OAuthServer,
  as: AuthorizationServer,
  client: TestClient,
  scopes: string[],
  person?: Parameters<OAuthServer['authorize']>[1],
): Promise<TokenSet> {
  const { callback, state, verifier } = await authorizeAt(server, as, client, scopes, person);
  return exchangeAuthorizationCode({
    ...net,
    server: as,
    client,
    clientAuth: client.authMethod,
    redirectUri: REDIRECT_URI,
    callbackParameters: callback,
    expectedState: state,
    pkceVerifier: verifier,
  });
}

describe('OAuth 2.0 against oidc-provider', () => {
  let server: OAuthServer;
  let as: AuthorizationServer;

  beforeAll(async () => {
    server = await startOAuthServer({ redirectUris: [REDIRECT_URI], requirePkce: true });
    as = await discover(server.issuer, net);
  });
  afterAll(() => server.close());

  it('discovers the endpoints and the RFC 9207 promise', () => {
    expect(as).toMatchObject({
      issuer: server.issuer,
      authorization_endpoint: server.authorizationEndpoint,
      token_endpoint: server.tokenEndpoint,
      revocation_endpoint: server.revocationEndpoint,
      userinfo_endpoint: server.userinfoEndpoint,
      authorization_response_iss_parameter_supported: true,
    });
  });

  it.each<ClientAuthMethod>(['client_secret_post', 'client_secret_basic'])(
    'runs the code flow with PKCE for a %s client, and the token says who the person is',
    async (method) => {
      const client = server.client(method);
      const before = server.grants.authorization_code;
      const tokens = await signIn(server, as, client, ['openid', 'email', 'read']);

      expect(tokens.tokenType).toBe('bearer');
      expect(tokens.expiresIn).toBe(server.accessTokenTtlSeconds);
      expect(tokens.refreshToken).toEqual(expect.any(String));
      expect(tokens.scope?.sort()).toEqual(['email', 'openid', 'read']);
      expect(server.issued.accessTokens).toContain(tokens.accessToken);
      expect(server.grants.authorization_code).toBe(before + 1);
      expect(server.tokenRequests.at(-1)).toMatchObject({ clientId: client.clientId, status: 200 });
      expect(await whoAmI(server, tokens.accessToken)).toEqual({
        status: 200,
        body: { sub: 'alice', email: 'alice@example.com', email_verified: true },
      });
    },
  );

  it('grants only the scopes asked for, and fewer when the person unticks some', async () => {
    const client = server.client('client_secret_post');
    const asked = await signIn(server, as, client, ['openid', 'read']);
    expect(asked.scope?.sort()).toEqual(['openid', 'read']);

    const narrowed = await signIn(server, as, client, ['openid', 'email', 'read', 'write'], {
      login: 'bob@example.com',
      grantScopes: ['read'],
    });
    expect(narrowed.scope?.sort()).toEqual(['openid', 'read']);
  });

  it('refreshes with rotation: the old refresh token, sent again, ends the whole grant', async () => {
    const client = server.client('client_secret_basic');
    const first = await signIn(server, as, client, ['openid', 'email']);
    const refresh = (refreshToken: string): Promise<TokenSet> =>
      refreshTokenGrant({ ...net, server: as, client, clientAuth: client.authMethod, refreshToken });

    const before = { ...server.grants };
    const second = await refresh(first.refreshToken!);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).toEqual(expect.any(String));
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await whoAmI(server, second.accessToken)).body.email).toBe('alice@example.com');

    const reused = await failure(refresh(first.refreshToken!));
    expect(reused).toMatchObject({ kind: 'rejected', error: 'invalid_grant', status: 400, answered: true });
    // The server revoked the grant: even the newest refresh token is dead now.
    expect((await failure(refresh(second.refreshToken!))).error).toBe('invalid_grant');
    expect(server.grants.refresh_token).toBe(before.refresh_token + 3);
    expect(server.grants.invalid_grant).toBe(before.invalid_grant + 2);
  });

  it('answers invalid_grant once the grant is revoked at the server', async () => {
    const client = server.client('client_secret_post');
    const tokens = await signIn(server, as, client, ['openid'], { login: 'bob@example.com' });
    expect(await server.revoke('bob@example.com')).toBeGreaterThan(0);
    const error = await failure(
      refreshTokenGrant({
        ...net,
        server: as,
        client,
        clientAuth: client.authMethod,
        refreshToken: tokens.refreshToken!,
      }),
    );
    expect(error).toMatchObject({ kind: 'rejected', error: 'invalid_grant' });
  });

  it('gets a client-credentials token with the scopes asked for', async () => {
    const client = server.client('client_secret_basic');
    const before = server.grants.client_credentials;
    const tokens = await clientCredentialsGrant({
      ...net,
      server: as,
      client,
      clientAuth: client.authMethod,
      scopes: ['read'],
    });
    expect(tokens).toMatchObject({ tokenType: 'bearer', expiresIn: server.accessTokenTtlSeconds, scope: ['read'] });
    expect(tokens.refreshToken).toBeUndefined();
    expect(await server.tokenIsActive(tokens.accessToken)).toBe(true);
    expect(server.grants.client_credentials).toBe(before + 1);
  });

  it('revokes a refresh token at the server (RFC 7009)', async () => {
    const client = server.client('client_secret_post');
    const tokens = await signIn(server, as, client, ['openid']);
    expect(await server.tokenIsActive(tokens.refreshToken!)).toBe(true);

    await revokeToken({
      ...net,
      server: as,
      client,
      clientAuth: client.authMethod,
      token: tokens.refreshToken!,
      tokenTypeHint: 'refresh_token',
    });

    expect(server.revocations.at(-1)).toMatchObject({
      token: tokens.refreshToken,
      tokenTypeHint: 'refresh_token',
      clientId: client.clientId,
      status: 200,
    });
    expect(await server.tokenIsActive(tokens.refreshToken!)).toBe(false);
    const error = await failure(
      refreshTokenGrant({
        ...net,
        server: as,
        client,
        clientAuth: client.authMethod,
        refreshToken: tokens.refreshToken!,
      }),
    );
    expect(error.error).toBe('invalid_grant');
  });

  it('refuses a callback from another issuer before exchanging the code (mix-up)', async () => {
    const client = server.client('client_secret_post');
    const { callback, state, verifier } = await authorizeAt(server, as, client, ['openid']);
    const tokenCalls = server.tokenRequests.length;
    const exchange = (params: URLSearchParams): Promise<TokenSet> =>
      exchangeAuthorizationCode({
        ...net,
        server: as,
        client,
        clientAuth: client.authMethod,
        redirectUri: REDIRECT_URI,
        callbackParameters: params,
        expectedState: state,
        pkceVerifier: verifier,
      });

    const forged = new URLSearchParams(callback);
    forged.set('iss', 'https://attacker.example');
    const mismatch = await failure(exchange(forged));
    expect(mismatch).toMatchObject({ kind: 'invalid_callback', error: 'issuer_mismatch' });
    expect(mismatch.message).toMatch(/different authorization server/);

    const stripped = new URLSearchParams(callback);
    stripped.delete('iss');
    expect(await failure(exchange(stripped))).toMatchObject({ kind: 'invalid_callback', error: 'issuer_missing' });

    const otherState = new URLSearchParams(callback);
    otherState.set('state', 'not-the-state');
    expect(await failure(exchange(otherState))).toMatchObject({ kind: 'invalid_callback', error: 'state_mismatch' });

    expect(server.tokenRequests.length).toBe(tokenCalls);
    // The untouched callback still works: nothing above reached the token endpoint.
    expect((await exchange(callback)).accessToken).toEqual(expect.any(String));
  });

  it('turns a denied consent into access_denied without calling the token endpoint', async () => {
    const client = server.client('client_secret_post');
    const { callback, state, verifier } = await authorizeAt(server, as, client, ['openid', 'read'], {
      login: 'alice@example.com',
      consent: 'deny',
    });
    expect(callback.get('error')).toBe('access_denied');
    const tokenCalls = server.tokenRequests.length;

    const error = await failure(
      exchangeAuthorizationCode({
        ...net,
        server: as,
        client,
        clientAuth: client.authMethod,
        redirectUri: REDIRECT_URI,
        callbackParameters: callback,
        expectedState: state,
        pkceVerifier: verifier,
      }),
    );
    expect(error).toMatchObject({ kind: 'rejected', error: 'access_denied', description: expect.any(String) });
    expect(server.tokenRequests.length).toBe(tokenCalls);
  });

  it.each<ClientAuthMethod>(['client_secret_post', 'client_secret_basic'])(
    'answers invalid_client to a %s client with a wrong secret',
    async (method) => {
      const client = server.client(method);
      const { callback, state, verifier } = await authorizeAt(server, as, client, ['openid']);
      const error = await failure(
        exchangeAuthorizationCode({
          ...net,
          server: as,
          client: { clientId: client.clientId, clientSecret: 'wrong-secret' },
          clientAuth: method,
          redirectUri: REDIRECT_URI,
          callbackParameters: callback,
          expectedState: state,
          pkceVerifier: verifier,
        }),
      );
      expect(error).toMatchObject({ kind: 'rejected', error: 'invalid_client', status: 401 });
      expect(server.tokenRequests.at(-1)).toMatchObject({
        grantType: 'authorization_code',
        status: 401,
        error: 'invalid_client',
      });
    },
  );

  it('answers invalid_grant to a wrong PKCE verifier', async () => {
    const client = server.client('client_secret_post');
    const { callback, state } = await authorizeAt(server, as, client, ['openid']);
    const error = await failure(
      exchangeAuthorizationCode({
        ...net,
        server: as,
        client,
        clientAuth: client.authMethod,
        redirectUri: REDIRECT_URI,
        callbackParameters: callback,
        expectedState: state,
        pkceVerifier: (await createPkce()).verifier,
      }),
    );
    expect(error).toMatchObject({ kind: 'rejected', error: 'invalid_grant' });
  });

  it('calls a 503 transient, with an answer, and an unreachable server transient, without one', async () => {
    const client = server.client('client_secret_post');
    server.failNextTokenRequests(1, 503);
    const unavailable = await failure(
      clientCredentialsGrant({ ...net, server: as, client, clientAuth: client.authMethod }),
    );
    expect(unavailable).toMatchObject({ kind: 'transient', status: 503, answered: true });

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const gone = defineAuthorizationServer({ ...as, token_endpoint: `http://127.0.0.1:${port}/token` });
    const unreachable = await failure(
      clientCredentialsGrant({ ...net, server: gone, client, clientAuth: client.authMethod }),
    );
    expect(unreachable).toMatchObject({
      kind: 'transient',
      error: 'network_error',
      answered: false,
      status: undefined,
    });
  });

  it('refuses plain http:// unless allowInsecureRequests is passed', async () => {
    const client = server.client('client_secret_post');
    const error = await clientCredentialsGrant({ fetch, server: as, client, clientAuth: client.authMethod }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/https/);
  });

  it('renews an expired access token with the refresh token', async () => {
    const short = await startOAuthServer({ redirectUris: [REDIRECT_URI], accessTokenTtlSeconds: 1 });
    try {
      const shortAs = await discover(short.issuer, net);
      const client = short.client('client_secret_post');
      const tokens = await signIn(short, shortAs, client, ['openid', 'email']);
      await expect
        .poll(async () => (await whoAmI(short, tokens.accessToken)).status, { timeout: 10_000, interval: 250 })
        .toBe(401);
      const renewed = await refreshTokenGrant({
        ...net,
        server: shortAs,
        client,
        clientAuth: client.authMethod,
        refreshToken: tokens.refreshToken!,
      });
      expect((await whoAmI(short, renewed.accessToken)).body.email).toBe('alice@example.com');
    } finally {
      await short.close();
    }
  });
});

describe('a server without RFC 9207, described by explicit endpoints', () => {
  let server: OAuthServer;
  beforeAll(async () => {
    server = await startOAuthServer({
      redirectUris: [REDIRECT_URI],
      authorizationResponseIss: false,
      extraTokenResponseFields: { instance_url: 'https://eu1.example' },
      extraCallbackParameters: { realmId: '4620816365' },
    });
  });
  afterAll(() => server.close());

  it('completes the flow with no iss, and still checks iss against a known issuer', async () => {
    const client = server.client('client_secret_basic');
    const explicit = defineAuthorizationServer({
      authorization_endpoint: server.authorizationEndpoint,
      token_endpoint: server.tokenEndpoint,
    });
    const { callback, state, verifier } = await authorizeAt(server, explicit, client, ['openid', 'read']);
    expect(callback.has('iss')).toBe(false);

    // With a known issuer, an iss that does appear must match even here.
    const forged = new URLSearchParams(callback);
    forged.set('iss', 'https://attacker.example');
    const withIssuer = defineAuthorizationServer({ ...explicit, issuer: server.issuer });
    expect(
      thrown(() =>
        validateAuthorizationResponse({ server: withIssuer, client, callbackParameters: forged, expectedState: state }),
      ),
    ).toMatchObject({ error: 'issuer_mismatch' });

    const tokens = await exchangeAuthorizationCode({
      ...net,
      server: explicit,
      client,
      clientAuth: client.authMethod,
      redirectUri: REDIRECT_URI,
      callbackParameters: callback,
      expectedState: state,
      pkceVerifier: verifier,
    });
    expect(tokens.scope?.sort()).toEqual(['openid', 'read']);
    expect(tokens.raw.instance_url).toBe('https://eu1.example');
  });

  it('hands back values the service adds to the callback, and follows redirect URIs changed after start', async () => {
    const moved = 'http://127.0.0.1:2/elsewhere/callback';
    server.setRedirectUris([moved]);
    try {
      const client = server.client('client_secret_post');
      const explicit = defineAuthorizationServer({
        authorization_endpoint: server.authorizationEndpoint,
        token_endpoint: server.tokenEndpoint,
      });
      const url = buildAuthorizationUrl({
        server: explicit,
        client,
        redirectUri: moved,
        scopes: ['openid'],
        state: 's1',
        pkce: null,
      });
      const { callbackUrl } = await server.authorize(url, { login: 'bob@example.com' });
      expect(callbackUrl.startsWith(`${moved}?`)).toBe(true);
      const response = validateAuthorizationResponse({
        server: explicit,
        client,
        callbackParameters: new URL(callbackUrl).searchParams,
        expectedState: 's1',
      });
      expect(response.extraParameters).toEqual({ realmId: '4620816365' });
    } finally {
      server.setRedirectUris([REDIRECT_URI]);
    }
  });
});

describe('token responses from services that bend the spec', () => {
  let peer: Server;
  let as: AuthorizationServer;
  let next: { status: number; type: string; body: string };
  const ACCESS = 'at-' + randomBytes(8).toString('hex');
  const client = { clientId: 'quirky', clientSecret: 'secret' };

  beforeAll(async () => {
    peer = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(next.status, { 'content-type': next.type }).end(next.body));
    });
    await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(peer.address() as AddressInfo).port}`;
    as = defineAuthorizationServer({
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      revocation_endpoint: `${base}/revoke`,
    });
  });
  afterAll(() => new Promise<void>((resolve) => peer.close(() => resolve())));

  const answer = (status: number, type: string, body: unknown): void => {
    next = { status, type, body: typeof body === 'string' ? body : JSON.stringify(body) };
  };
  const grant = (separator?: ' ' | ','): Promise<TokenSet> =>
    clientCredentialsGrant({
      ...net,
      server: as,
      client,
      clientAuth: 'client_secret_post',
      ...(separator ? { scopeSeparator: separator } : {}),
    });

  it('accepts a missing token_type, a string expires_in and comma-separated scopes', async () => {
    answer(200, 'application/json', {
      access_token: ACCESS,
      expires_in: '3600',
      scope: 'repo,gist',
      refresh_token: null,
    });
    expect(await grant(',')).toMatchObject({
      accessToken: ACCESS,
      tokenType: 'bearer',
      expiresIn: 3600,
      scope: ['repo', 'gist'],
    });
  });

  it('accepts a form-encoded answer and an array of scopes', async () => {
    answer(200, 'application/x-www-form-urlencoded', `access_token=${ACCESS}&token_type=Bearer&scope=a+b`);
    expect(await grant()).toMatchObject({ accessToken: ACCESS, scope: ['a', 'b'] });
    answer(200, 'text/plain', { access_token: ACCESS, token_type: 'bearer', scope: ['x', 'y'] });
    expect((await grant()).scope).toEqual(['x', 'y']);
  });

  it('treats an error code sent with status 200 as the refusal it is', async () => {
    answer(200, 'application/json', { error: 'bad_verification_code', error_description: 'The code is wrong.' });
    expect(await failure(grant())).toMatchObject({
      kind: 'rejected',
      error: 'bad_verification_code',
      description: 'The code is wrong.',
    });
  });

  it('calls an HTML error page malformed (4xx) or transient (5xx), and never repeats a token in an error', async () => {
    answer(400, 'text/html', '<html>Bad</html>');
    expect(await failure(grant())).toMatchObject({ kind: 'malformed', error: 'invalid_response', status: 400 });
    answer(502, 'text/html', '<html>Bad gateway</html>');
    expect(await failure(grant())).toMatchObject({
      kind: 'transient',
      error: 'server_error',
      status: 502,
      answered: true,
    });
    answer(200, 'application/json', { access_token: ACCESS, token_type: 'bearer', expires_in: -5 });
    const error = await failure(grant());
    expect(error).toMatchObject({ kind: 'malformed', error: 'invalid_response' });
    const seen = JSON.stringify({
      message: error.message,
      cause: String(error.cause),
      own: Object.fromEntries(Object.entries(error)),
    });
    expect(seen).not.toContain(ACCESS);
  });

  it('counts any 2xx from a revocation endpoint as done, and a 503 as transient', async () => {
    answer(204, 'text/plain', '');
    await expect(
      revokeToken({ ...net, server: as, client, clientAuth: 'client_secret_basic', token: ACCESS }),
    ).resolves.toBeUndefined();
    answer(503, 'application/json', { error: 'temporarily_unavailable' });
    expect(
      await failure(revokeToken({ ...net, server: as, client, clientAuth: 'client_secret_basic', token: ACCESS })),
    ).toMatchObject({
      kind: 'transient',
      error: 'temporarily_unavailable',
    });
  });
});

describe('the authorization request and response', () => {
  const as = defineAuthorizationServer({
    issuer: 'https://as.example',
    authorization_endpoint: 'https://as.example/authorize?tenant=t1',
    token_endpoint: 'https://as.example/token',
  });
  const client = { clientId: 'c1' };

  it('builds the URL with the endpoint query kept, scopes joined, PKCE, and no overriding of Hitch parameters', () => {
    const url = buildAuthorizationUrl({
      server: as,
      client,
      redirectUri: REDIRECT_URI,
      scopes: ['a', 'b', 'a'],
      scopeSeparator: ',',
      state: 's1',
      pkce: { challenge: 'ch' },
      extraParameters: { access_type: 'offline' },
    });
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenant: 't1',
      access_type: 'offline',
      response_type: 'code',
      client_id: 'c1',
      redirect_uri: REDIRECT_URI,
      scope: 'a,b',
      state: 's1',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
    expect(() =>
      buildAuthorizationUrl({
        server: as,
        client,
        redirectUri: REDIRECT_URI,
        scopes: [],
        state: 's',
        pkce: null,
        extraParameters: { state: 'x' },
      }),
    ).toThrow(TypeError);
  });

  it('returns the extra parameters a service adds to the callback, and refuses repeated ones', () => {
    const params = new URLSearchParams({ code: 'c', state: 's1', iss: 'https://as.example', realmId: '42' });
    expect(
      validateAuthorizationResponse({ server: as, client, callbackParameters: params, expectedState: 's1' }),
    ).toEqual({
      code: 'c',
      iss: 'https://as.example',
      extraParameters: { realmId: '42' },
    });
    params.append('state', 's1');
    expect(
      thrown(() =>
        validateAuthorizationResponse({ server: as, client, callbackParameters: params, expectedState: 's1' }),
      ),
    ).toMatchObject({ error: 'duplicate_parameter' });
  });

  it('accepts only the exact state (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (expected, given) => {
        const params = new URLSearchParams({ code: 'c', state: given });
        const outcome = thrown(() =>
          validateAuthorizationResponse({ server: as, client, callbackParameters: params, expectedState: expected }),
        );
        return given === expected ? outcome === undefined : (outcome as OAuthProtocolError).error === 'state_mismatch';
      }),
    );
  });

  it('splits what it joins (property)', () => {
    const scope = fc.stringMatching(/^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]+$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(scope, { maxLength: 8 }),
        fc.constantFrom<' ' | ','>(' ', ','),
        (scopes, separator) => {
          expect(splitScopes(joinScopes(scopes, separator), separator)).toEqual(scopes);
        },
      ),
    );
  });
});
