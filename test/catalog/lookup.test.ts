/**
 * The post-authorization lookup, against a local OAuth server that also serves an
 * accessible-resources list like Atlassian's (`[{ id, name, url, scopes }]`, the cloud id as `id`):
 * one site is taken at once; several are offered on a page where the person picks one before the
 * connection is saved; none is an error; a cloud id the person gave, or one the connection already
 * learned, is kept without asking. On SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.ts';
import type { AppInput } from '../../src/catalog/schema.ts';
import { dialects } from '../helpers/store.ts';
import { browser, login, newUser } from '../http/app.ts';
import { startQuirkyOAuthServer, type QuirkyServer } from '../peers/quirky-oauth-server.ts';
import { callbackPath, openCatalogWorld, PUBLIC_URL, REDIRECT_URI, type CatalogWorld } from './world.ts';

const SITE_A = { id: '1324a887-45db-1bf4-1e99-ef0ff456d421', name: 'Acme', url: 'https://acme.atlassian.net' };
const SITE_B = { id: '9f8e7d6c-5b4a-3210-fedc-ba9876543210', name: 'Beta <b>&</b>', url: 'https://beta.atlassian.net' };
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

function siteApp(server: QuirkyServer): AppInput {
  const host = `127.0.0.1:${server.port}`;
  return {
    id: 'sites',
    name: 'Sites',
    docsUrl: 'https://sites.example/docs',
    scopes: [{ name: 'read:work', description: 'Read work' }],
    connections: [
      {
        type: 'oauth2',
        authorizeUrl: `http://${host}/oauth/authorize`,
        tokenUrl: `http://${host}/oauth/token`,
        baseUrl: `http://${host}/api/ex/jira/{{cloudId}}`,
        verify: { url: `http://${host}/api/me`, accountId: ['id'], accountLabel: ['email'] },
        lookup: {
          url: `http://${host}/api/oauth/token/accessible-resources`,
          values: { cloudId: 'id' },
          label: ['name', 'url'],
          prompt: 'Choose the site this connection uses.',
        },
        parameters: [{ name: 'cloudId', label: 'Site cloud ID', advanced: true, pattern: UUID }],
      },
    ],
  };
}

const lookups = (server: QuirkyServer) =>
  server.apiRequests.filter((r) => r.path === '/api/oauth/token/accessible-resources');

describe.each(dialects)('the post-authorization lookup on $name', ({ open }) => {
  let w: CatalogWorld | undefined;
  let server: QuirkyServer | undefined;
  afterEach(async () => {
    await w?.close();
    await server?.close();
    w = undefined;
    server = undefined;
  });

  async function world(resources: unknown) {
    server = await startQuirkyOAuthServer({ redirectUri: REDIRECT_URI, accessibleResources: resources });
    w = await openCatalogWorld({
      apps: [siteApp(server)],
      open,
      env: { HITCH_APP_SITES_CLIENT_ID: server.clientId, HITCH_APP_SITES_CLIENT_SECRET: server.clientSecret },
    });
    return { w, server };
  }

  async function consent(parameters: Record<string, string> = {}) {
    const created = await w!.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w!.headers,
      payload: { app: 'sites', scopes: ['read:work'], parameters },
    });
    expect(created.statusCode, created.body).toBe(201);
    const callbackUrl = await server!.authorize(created.json().authorizeUrl);
    const callback = await w!.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w!.pageHeaders });
    return { id: created.json().connection.id as string, callback };
  }

  const show = async (id: string) =>
    (await w!.app.inject({ method: 'GET', url: `/api/v1/connections/${id}`, headers: w!.headers })).json();

  const choose = (body: Record<string, string>, cookie = w!.pageHeaders.cookie!) =>
    w!.app.inject({
      method: 'POST',
      url: '/oauth/choose',
      headers: { cookie, origin: PUBLIC_URL, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(body).toString(),
    });

  it('takes the one site there is, with the new token, and sends requests below its cloud id', async () => {
    await world([{ ...SITE_A, scopes: ['read:work'] }]);
    const { id, callback } = await consent();
    expect(callback.statusCode, callback.body).toBe(200);
    expect(callback.body).toContain('The connection is established.');
    expect(await show(id)).toMatchObject({ status: 'active', account: { id: 'U1' } });
    expect(lookups(server!)).toHaveLength(1);
    expect(lookups(server!)[0]!.headers.authorization).toBe(`Bearer ${server!.accessTokens[0]}`);
    const call = await w!.connections.client.request(id, { method: 'GET', url: '/rest/api/3/myself' });
    expect(call.json()).toMatchObject({ path: `/api/ex/jira/${SITE_A.id}/rest/api/3/myself` });
  });

  it('offers several sites on a page, saves nothing until the person picks one, then uses that one', async () => {
    await world([SITE_A, SITE_B]);
    const { id, callback } = await consent();
    expect(callback.statusCode).toBe(200);
    expect(callback.body).toContain('Choose the site this connection uses.');
    expect(callback.body).toContain('Acme · https://acme.atlassian.net');
    // The service's words are escaped, and no token is on the page.
    expect(callback.body).toContain('Beta &lt;b&gt;&amp;&lt;/b&gt; · https://beta.atlassian.net');
    for (const token of server!.accessTokens) expect(callback.body).not.toContain(token);
    const choice = /name="choice" value="([^"]+)"/.exec(callback.body)![1]!;
    expect(await show(id)).toMatchObject({ status: 'pending' });

    // Another signed-in person cannot make the pick, and the choice stays open for its owner.
    const stranger = await newUser({ store: w!.store } as never, { team: { name: 'Others' } });
    const strangerCookie = await login(w!.app, stranger.user.email);
    const refused = await choose({ choice, option: '1' }, browser(strangerCookie).cookie);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('started by another user');

    const picked = await choose({ choice, option: '1' });
    expect(picked.statusCode, picked.body).toBe(200);
    expect(picked.body).toContain('The connection is established.');
    expect(await show(id)).toMatchObject({ status: 'active', account: { id: 'U1' } });
    const call = await w!.connections.client.request(id, { method: 'GET', url: '/rest/api/3/myself' });
    expect(call.json()).toMatchObject({ path: `/api/ex/jira/${SITE_B.id}/rest/api/3/myself` });

    // Single use: the same choice again is refused and changes nothing.
    const again = await choose({ choice, option: '0' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('This choice is unknown, expired or already made');
    const after = await w!.connections.client.request(id, { method: 'GET', url: '/x' });
    expect(after.json()).toMatchObject({ path: `/api/ex/jira/${SITE_B.id}/x` });
  });

  it('refuses a pick that is not one of the choices, leaving the connection pending', async () => {
    await world([SITE_A, SITE_B]);
    const { id, callback } = await consent();
    const choice = /name="choice" value="([^"]+)"/.exec(callback.body)![1]!;
    const bad = await choose({ choice, option: '7' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('This choice is unknown, expired or already made');
    expect(await show(id)).toMatchObject({ status: 'pending' });
  });

  it('offers only sites whose values have the form their parameters declare: a looked-up value may steer requests', async () => {
    await world([{ ...SITE_A, id: 'evil.example/../' }, SITE_B]);
    const { id, callback } = await consent();
    expect(callback.statusCode, callback.body).toBe(200);
    expect(callback.body).toContain('The connection is established.');
    const call = await w!.connections.client.request(id, { method: 'GET', url: '/x' });
    expect(call.json()).toMatchObject({ path: `/api/ex/jira/${SITE_B.id}/x` });
  });

  it('says so when the service offers no site, and saves nothing', async () => {
    await world([]);
    const { id, callback } = await consent();
    expect(callback.statusCode).toBe(422);
    expect(callback.body).toContain('The service offers nothing this connection could use');
    expect(await show(id)).toMatchObject({ status: 'pending' });
    const events = await w!.app.inject({ method: 'GET', url: '/api/v1/events', headers: w!.headers });
    expect(events.body).toContain('connection.authorization_failed');
  });

  it('keeps a cloud id the person gave, without asking the service', async () => {
    await world([SITE_A, SITE_B]);
    const { id, callback } = await consent({ cloudId: SITE_B.id });
    expect(callback.statusCode, callback.body).toBe(200);
    expect(lookups(server!)).toHaveLength(0);
    const call = await w!.connections.client.request(id, { method: 'GET', url: '/x' });
    expect(call.json()).toMatchObject({ path: `/api/ex/jira/${SITE_B.id}/x` });
  });

  it('keeps the cloud id a connection learned when it is reauthorized', async () => {
    await world([SITE_A]);
    const { id } = await consent();
    expect(lookups(server!)).toHaveLength(1);
    const again = await w!.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${id}/reauthorize`,
      headers: w!.headers,
      payload: {},
    });
    expect(again.statusCode, again.body).toBe(200);
    const callbackUrl = await server!.authorize(again.json().authorizeUrl);
    const callback = await w!.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w!.pageHeaders });
    expect(callback.body).toContain('The connection was reauthorized.');
    expect(lookups(server!)).toHaveLength(1);
    const call = await w!.connections.client.request(id, { method: 'GET', url: '/x' });
    expect(call.json()).toMatchObject({ path: `/api/ex/jira/${SITE_A.id}/x` });
  });
});

describe('Jira and Confluence find their site after consent', () => {
  it('ask no cloud id up front, still accept one, and look it up at accessible-resources', () => {
    const catalog = loadCatalog({ appsDir: null, env: {} });
    for (const id of ['jira', 'confluence']) {
      const kind = catalog.kind(catalog.require(id), 'oauth2');
      expect(kind.type).toBe('oauth2');
      if (kind.type !== 'oauth2') continue;
      expect(kind.parameters.find((p) => p.name === 'cloudId')).toMatchObject({ required: false, pattern: UUID });
      expect(kind.lookup).toMatchObject({
        url: 'https://api.atlassian.com/oauth/token/accessible-resources',
        values: { cloudId: 'id' },
      });
      expect(kind.baseUrl).toContain('{{cloudId}}');
    }
  });
});
