/**
 * A real OAuth 2.0 / OpenID Connect authorization server for tests: oidc-provider 8
 * on 127.0.0.1, with short access-token lifetimes, refresh-token rotation (a used
 * refresh token that comes back revokes the whole grant), revocation, introspection,
 * client credentials and both client_secret_post and client_secret_basic clients.
 *
 * Tests read what the server saw (`grants`, `tokenRequests`, `revocations`, `issued`)
 * and act as the person at the browser with `authorize()`.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { authorizeAsPerson, type AuthorizeOptions } from './oauth-person.ts';
import { interactionHandler, readBody, send } from './oauth-server-interactions.ts';
import { messagePage } from './oauth-server-pages.ts';
import { OAuthServerStorage } from './oauth-server-storage.ts';

export type TestClientAuthMethod = 'client_secret_post' | 'client_secret_basic';

export interface TestClient {
  clientId: string;
  clientSecret: string;
  authMethod: TestClientAuthMethod;
  redirectUris: string[];
}

export interface TestAccount {
  id: string;
  email: string;
  password: string;
  name: string;
}

export interface OAuthServerOptions {
  /** Redirect URIs of every client that does not name its own. Change later with `setRedirectUris`. */
  redirectUris?: string[];
  /** Default: one client per authentication method, with random secrets. */
  clients?: Array<Partial<TestClient> & { authMethod: TestClientAuthMethod }>;
  /** Default: alice@example.com and bob@example.com, password "password". */
  accounts?: TestAccount[];
  /** Scopes beyond openid, offline_access, email and profile. Default: read, write, admin. */
  scopes?: string[];
  /** Lifetime of access tokens (both user and client-credentials ones). Default 3. */
  accessTokenTtlSeconds?: number;
  /** Refuse authorization requests without a PKCE challenge. Default false. */
  requirePkce?: boolean;
  /**
   * RFC 9207: oidc-provider always sends `iss` on authorization responses and
   * advertises `authorization_response_iss_parameter_supported`. False strips both,
   * to play a server that knows nothing of RFC 9207. Default true.
   */
  authorizationResponseIss?: boolean;
  /** Refresh tokens only for `offline_access` requests (oidc-provider's default). Default false: always. */
  refreshTokenRequiresOfflineAccess?: boolean;
  /** Added to every successful token response, like Salesforce's `instance_url`. */
  extraTokenResponseFields?: Record<string, unknown>;
  /** Added to every redirect back to a client, like QuickBooks' `realmId`. */
  extraCallbackParameters?: Record<string, string>;
}

export type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

export interface TokenRequestRecord {
  grantType: string;
  clientId: string | undefined;
  status: number;
  /** The OAuth error code answered, if any. */
  error: string | undefined;
  /** True when the answer came from `failNextTokenRequests`, not the provider. */
  injected: boolean;
}

export interface RevocationRecord {
  token: string;
  tokenTypeHint: string | undefined;
  clientId: string | undefined;
  status: number;
}

export interface OAuthServer {
  issuer: string;
  discoveryUrl: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  introspectionEndpoint: string;
  userinfoEndpoint: string;
  clients: TestClient[];
  accounts: TestAccount[];
  scopes: string[];
  accessTokenTtlSeconds: number;
  /** Token-endpoint calls by grant_type, whatever the outcome, and `invalid_grant` answers. */
  grants: Record<GrantType, number> & { invalid_grant: number };
  tokenRequests: TokenRequestRecord[];
  revocations: RevocationRecord[];
  /** Every secret the server handed out, for tests proving none leaks. */
  issued: { accessTokens: string[]; refreshTokens: string[]; idTokens: string[]; authorizationCodes: string[] };
  /** All of `issued` in one list, plus client secrets. */
  issuedSecrets(): string[];
  client(authMethod: TestClientAuthMethod): TestClient;
  /**
   * Revokes grants server-side, as when a person removes the app in the service's
   * settings: by account id or email (all of that account's grants) or by grant id.
   * The next refresh answers invalid_grant. Returns how many grants were revoked.
   */
  revoke(accountOrGrant: string): Promise<number>;
  /** Whether the access or refresh token would still be accepted. */
  tokenIsActive(token: string): Promise<boolean>;
  setRedirectUris(redirectUris: string[]): void;
  /** The next `count` token requests get `status` without reaching the provider. */
  failNextTokenRequests(count: number, status?: number): void;
  /** Acts as the person at the browser; see `oauth-person.ts`. */
  authorize(authorizationUrl: string | URL, options: AuthorizeOptions): Promise<{ callbackUrl: string }>;
  provider: Provider;
  close(): Promise<void>;
}

const DEFAULT_ACCOUNTS: TestAccount[] = [
  { id: 'alice', email: 'alice@example.com', password: 'password', name: 'Alice Example' },
  { id: 'bob', email: 'bob@example.com', password: 'password', name: 'Bob Example' },
];

const PATHS = {
  authorization: '/auth',
  token: '/token',
  revocation: '/token/revocation',
  introspection: '/token/introspection',
  userinfo: '/me',
} as const;

export async function startOAuthServer(options: OAuthServerOptions = {}): Promise<OAuthServer> {
  const accounts = options.accounts ?? DEFAULT_ACCOUNTS;
  const customScopes = options.scopes ?? ['read', 'write', 'admin'];
  const accessTokenTtlSeconds = options.accessTokenTtlSeconds ?? 3;
  const issueIss = options.authorizationResponseIss ?? true;
  const storage = new OAuthServerStorage();

  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const clients: TestClient[] = (
    options.clients ?? [{ authMethod: 'client_secret_post' }, { authMethod: 'client_secret_basic' }]
  ).map((c) => ({
    clientId: c.clientId ?? `hitch-${c.authMethod.replace('client_secret_', '')}`,
    clientSecret: c.clientSecret ?? randomBytes(24).toString('base64url'),
    authMethod: c.authMethod,
    redirectUris: c.redirectUris ?? options.redirectUris ?? ['http://127.0.0.1/oauth/callback'],
  }));
  // Clients live in storage, not in the static `clients` setting, so their redirect
  // URIs can change after start (oidc-provider re-reads stored clients on each use).
  const storeClients = (): void => {
    for (const c of clients) {
      storage.put('Client', c.clientId, {
        client_id: c.clientId,
        client_secret: c.clientSecret,
        token_endpoint_auth_method: c.authMethod,
        redirect_uris: c.redirectUris,
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        response_types: ['code'],
      });
    }
  };
  storeClients();

  const findAccountById = (id: string): TestAccount | undefined => accounts.find((a) => a.id === id);
  const configuration: Configuration = {
    adapter: storage.adapterFactory,
    findAccount: (_ctx, id) => {
      const account = findAccountById(id);
      if (!account) return undefined;
      return {
        accountId: account.id,
        claims: () => ({ sub: account.id, email: account.email, email_verified: true, name: account.name }),
      };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'offline_access', 'email', 'profile', ...customScopes],
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: {
      keys: [randomBytes(32).toString('hex')],
      // SameSite=None needs Secure, which a browser refuses on http://127.0.0.1.
      long: { signed: true, sameSite: 'lax' },
      short: { signed: true, sameSite: 'lax' },
    },
    jwks: {
      keys: [
        {
          ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
          use: 'sig',
          alg: 'RS256',
        },
      ],
    },
    ttl: {
      AccessToken: accessTokenTtlSeconds,
      ClientCredentials: accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 14 * 24 * 3600,
      RefreshToken: 14 * 24 * 3600,
    },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') &&
      (!options.refreshTokenRequiresOfflineAccess || code.scopes.has('offline_access')),
    // Tokens outlive the sign-in session, as a connection's do at real services.
    expiresWithSession: async () => false,
    pkce: { required: () => options.requirePkce ?? false, methods: ['S256'] },
    routes: PATHS,
  };

  const provider = new Provider(issuer, configuration);

  const grants = { authorization_code: 0, refresh_token: 0, client_credentials: 0, invalid_grant: 0 };
  const tokenRequests: TokenRequestRecord[] = [];
  const revocations: RevocationRecord[] = [];
  const issued = {
    accessTokens: [] as string[],
    refreshTokens: [] as string[],
    idTokens: [] as string[],
    authorizationCodes: [] as string[],
  };
  const grantOwners = new Map<string, string>(); // grantId → accountId
  const injectedFailures: number[] = [];

  provider.on('grant.saved', (grant: { jti: string; accountId?: string }) => {
    if (grant.accountId) grantOwners.set(grant.jti, grant.accountId);
  });
  // oidc-provider answers its own crashes with a bare server_error: show the cause.
  provider.on('server_error', (_ctx: unknown, error: unknown) => console.error('oauth test server error', error));

  const isRedirectUri = (url: URL): boolean =>
    clients.some((c) =>
      c.redirectUris.some((r) => {
        const registered = new URL(r);
        return registered.origin === url.origin && registered.pathname === url.pathname;
      }),
    );

  const countGrant = (grantType: string, error: string | undefined): void => {
    if (grantType in grants && grantType !== 'invalid_grant') grants[grantType as GrantType] += 1;
    if (error === 'invalid_grant') grants.invalid_grant += 1;
  };

  provider.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === PATHS.token && injectedFailures.length > 0) {
      const status = injectedFailures.shift()!;
      const body = new URLSearchParams(await readBody(ctx.req));
      const grantType = body.get('grant_type') ?? 'unknown';
      countGrant(grantType, undefined);
      tokenRequests.push({
        grantType,
        clientId: body.get('client_id') ?? undefined,
        status,
        error: undefined,
        injected: true,
      });
      ctx.status = status;
      ctx.body = { error: 'temporarily_unavailable', error_description: 'injected by the test' };
      return;
    }

    await next();

    const oidc = (ctx as KoaContextWithOIDC).oidc as KoaContextWithOIDC['oidc'] | undefined;
    const route = oidc?.route;
    const body = (typeof ctx.body === 'object' && ctx.body !== null ? ctx.body : {}) as Record<string, unknown>;
    const params = (oidc?.params ?? {}) as Record<string, unknown>;

    if (route === 'token') {
      const grantType = typeof params.grant_type === 'string' ? params.grant_type : 'unknown';
      const error = typeof body.error === 'string' ? body.error : undefined;
      countGrant(grantType, error);
      tokenRequests.push({ grantType, clientId: oidc?.client?.clientId, status: ctx.status, error, injected: false });
      if (ctx.status === 200) {
        if (typeof body.access_token === 'string') issued.accessTokens.push(body.access_token);
        if (typeof body.refresh_token === 'string') issued.refreshTokens.push(body.refresh_token);
        if (typeof body.id_token === 'string') issued.idTokens.push(body.id_token);
        if (options.extraTokenResponseFields) Object.assign(body, options.extraTokenResponseFields);
      }
    } else if (route === 'revocation') {
      revocations.push({
        token: typeof params.token === 'string' ? params.token : '',
        tokenTypeHint: typeof params.token_type_hint === 'string' ? params.token_type_hint : undefined,
        clientId: oidc?.client?.clientId,
        status: ctx.status,
      });
    } else if (route === 'discovery' && !issueIss) {
      delete body.authorization_response_iss_parameter_supported;
    }

    const location = ctx.response.get('location');
    if (location && ctx.status >= 300 && ctx.status < 400) {
      const target = new URL(location, issuer);
      if (isRedirectUri(target)) {
        const code = target.searchParams.get('code');
        if (code) issued.authorizationCodes.push(code);
        if (!issueIss) target.searchParams.delete('iss');
        for (const [k, v] of Object.entries(options.extraCallbackParameters ?? {})) target.searchParams.set(k, v);
        ctx.set('location', target.href);
      }
    }
  });

  const handleInteraction = interactionHandler({ provider, issuer, accounts });
  const providerHandler = provider.callback();
  http.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      handleInteraction(req, res).catch((error: unknown) => {
        console.error('oauth test server interaction error', error);
        if (!res.headersSent) send(res, 500, messagePage('Something went wrong', 'The test server failed.'));
      });
      return;
    }
    void providerHandler(req, res);
  });

  const revokeGrant = async (grantId: string): Promise<void> => {
    storage.revokeGrantTokens(grantId);
    await storage.adapterFactory('Grant').destroy(grantId);
    grantOwners.delete(grantId);
  };

  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    authorizationEndpoint: issuer + PATHS.authorization,
    tokenEndpoint: issuer + PATHS.token,
    revocationEndpoint: issuer + PATHS.revocation,
    introspectionEndpoint: issuer + PATHS.introspection,
    userinfoEndpoint: issuer + PATHS.userinfo,
    clients,
    accounts,
    scopes: customScopes,
    accessTokenTtlSeconds,
    grants,
    tokenRequests,
    revocations,
    issued,
    issuedSecrets: () => [
      ...issued.accessTokens,
      ...issued.refreshTokens,
      ...issued.idTokens,
      ...issued.authorizationCodes,
      ...clients.map((c) => c.clientSecret),
    ],
    client(authMethod) {
      const found = clients.find((c) => c.authMethod === authMethod);
      if (!found) throw new Error(`no ${authMethod} client configured`);
      return found;
    },
    async revoke(accountOrGrant) {
      const account = accounts.find((a) => a.id === accountOrGrant || a.email === accountOrGrant);
      const grantIds = account
        ? [...grantOwners].filter(([, owner]) => owner === account.id).map(([grantId]) => grantId)
        : grantOwners.has(accountOrGrant)
          ? [accountOrGrant]
          : [];
      if (grantIds.length === 0) throw new Error(`no grant found for ${accountOrGrant}`);
      for (const grantId of grantIds) await revokeGrant(grantId);
      return grantIds.length;
    },
    async tokenIsActive(token) {
      const access = (await provider.AccessToken.find(token)) ?? (await provider.ClientCredentials.find(token));
      if (access && !access.isExpired) return true;
      const refresh = await provider.RefreshToken.find(token);
      if (!refresh || refresh.isExpired || refresh.consumed) return false;
      return (await provider.Grant.find(refresh.grantId!)) !== undefined;
    },
    setRedirectUris(redirectUris) {
      for (const c of clients) c.redirectUris = [...redirectUris];
      storeClients();
    },
    failNextTokenRequests(count, status = 503) {
      for (let i = 0; i < count; i += 1) injectedFailures.push(status);
    },
    authorize: (authorizationUrl, authorizeOptions) =>
      authorizeAsPerson(new URL(authorizationUrl), authorizeOptions, {
        isRedirectUri,
        passwordOf: (email) => accounts.find((a) => a.email === email)?.password,
      }),
    provider,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.closeAllConnections();
        http.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
