import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppInput } from '../../src/catalog/schema.ts';
import { openTestApp, browser, login, newUser, PUBLIC_URL, type TestApp } from '../http/app.ts';
import { startOAuthServer, type OAuthServer, type OAuthServerOptions, type TestClientAuthMethod } from '../peers/oauth-server.ts';
import type { TestStore } from '../helpers/store.ts';
import type { UserWithTeams } from '../../src/accounts/types.ts';

export const APP_ID = 'testidp';

/** An app like any in the catalog, pointed at the local OAuth server through HITCH_APPS_DIR. */
export function testApp(server: OAuthServer, overrides: Partial<Record<string, unknown>> = {}): AppInput {
  return {
    id: APP_ID,
    name: 'Test IdP',
    category: 'Testing',
    docsUrl: 'https://example.com/docs',
    scopes: [
      { name: 'openid', description: 'Know who you are' },
      { name: 'email', description: 'See your email address' },
      { name: 'read', description: 'Read your data' },
      { name: 'write', description: 'Change your data' },
      { name: 'admin', description: 'Administer your account' },
    ],
    connections: [
      {
        type: 'oauth2',
        authorizeUrl: server.authorizationEndpoint,
        tokenUrl: server.tokenEndpoint,
        revokeUrl: server.revocationEndpoint,
        issuer: server.issuer,
        baseScopes: ['openid', 'email'],
        baseUrl: server.issuer,
        verify: { url: server.userinfoEndpoint, accountId: ['sub'], accountLabel: ['email'] },
        ...overrides,
      },
    ],
  } as AppInput;
}

export interface OAuthWorld {
  t: TestApp;
  server: OAuthServer;
  user: UserWithTeams;
  teamId: string;
  cookie: string;
  headers: Record<string, string>;
  /** What a browser sends when it comes back to the callback page. */
  pageHeaders: Record<string, string>;
  appsDir: string;
  close(): Promise<void>;
}

/** Hitch (real HTTP app, real store) + oidc-provider on loopback + a signed-in user. */
export async function openOAuthWorld(
  open: () => Promise<TestStore>,
  options: { server?: OAuthServerOptions; clientAuth?: TestClientAuthMethod; appOverrides?: Partial<Record<string, unknown>>; env?: Record<string, string> } = {},
): Promise<OAuthWorld> {
  const server = await startOAuthServer({ redirectUris: [`${PUBLIC_URL}/oauth/callback`], ...options.server });
  const appsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-apps-'));
  fs.writeFileSync(path.join(appsDir, `${APP_ID}.json`), JSON.stringify(testApp(server, options.appOverrides)));
  const client = server.client(options.clientAuth ?? 'client_secret_post');
  const t = await openTestApp(open, {
    HITCH_APPS_DIR: appsDir,
    HITCH_ALLOW_PRIVATE_NETWORK: 'true',
    HITCH_APP_TESTIDP_CLIENT_ID: client.clientId,
    HITCH_APP_TESTIDP_CLIENT_SECRET: client.clientSecret,
    ...options.env,
  });
  const user = await newUser(t, { team: { name: 'Ops' } });
  const cookie = await login(t.app, user.user.email);
  return {
    t,
    server,
    user,
    teamId: user.teams[0]!.id,
    cookie,
    headers: browser(cookie),
    pageHeaders: { cookie, host: new URL(PUBLIC_URL).host },
    appsDir,
    async close() {
      await t.close();
      await server.close();
      fs.rmSync(appsDir, { recursive: true, force: true });
    },
  };
}

/** The callback URL's path and query, as Hitch receives it. */
export function callbackPath(callbackUrl: string): string {
  const url = new URL(callbackUrl);
  return `${url.pathname}${url.search}`;
}

/** Create + consent + callback: an active connection, as a person would get it. */
export async function connect(
  w: OAuthWorld,
  body: Record<string, unknown> = {},
  person: { login?: string; consent?: true | 'deny' } = {},
): Promise<{ id: string; callbackStatus: number; callbackBody: string }> {
  const created = await w.t.app.inject({ method: 'POST', url: '/api/v1/connections', headers: w.headers, payload: { app: APP_ID, ...body } });
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.statusCode} ${created.body}`);
  const { connection, authorizeUrl } = created.json() as { connection: { id: string }; authorizeUrl: string };
  const { callbackUrl } = await w.server.authorize(authorizeUrl, { login: person.login ?? 'alice@example.com', consent: person.consent ?? true });
  const callback = await w.t.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w.pageHeaders });
  return { id: connection.id, callbackStatus: callback.statusCode, callbackBody: callback.body };
}

export async function getConnection(w: OAuthWorld, id: string) {
  const response = await w.t.app.inject({ method: 'GET', url: `/api/v1/connections/${id}`, headers: { cookie: w.cookie } });
  return { status: response.statusCode, body: response.json() as Record<string, any> };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
