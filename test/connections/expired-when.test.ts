import type { PlacedValue } from '../../src/outbound/types.ts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/accounts/api-tokens.ts';
import type { AppInput } from '../../src/catalog/schema.ts';
import { dialects } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import { connect, openOAuthWorld, startSharedOAuthServer, type OAuthWorld } from './harness.ts';
import { json, openKindsWorld, startServer, type KindsWorld } from './kinds-harness.ts';

/**
 * `expiredWhen` is not the session kind's alone: an OAuth 2.0 resource server that
 * answers a lapsed token with 403, or with an error code inside a 200, gets one
 * refresh and one retry; a key, which nothing renews, gets the answer passed on.
 */
const EXPIRED_BODY = { error: { code: 'TOKEN_EXPIRED' } };

describe.each(dialects)('expiry signals of an OAuth 2.0 app on $name', ({ open }) => {
  let server: OAuthServer;
  let resource: Awaited<ReturnType<typeof startServer>>;
  let w: OAuthWorld;
  let bearer: Record<string, string>;

  beforeAll(async () => {
    server = await startSharedOAuthServer();
    resource = await startServer(async (req, res, url) => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (token && (await server.tokenIsActive(token))) json(res, 200, { path: url.pathname, ok: true });
      else if (url.pathname.startsWith('/forbidden')) json(res, 403, { error: 'forbidden' });
      else json(res, 200, EXPIRED_BODY);
    });
  });
  afterAll(async () => {
    await resource.close();
    await server.close();
  });
  beforeEach(async () => {
    w = await openOAuthWorld(open, {
      sharedServer: server,
      appOverrides: {
        baseUrl: resource.url,
        expiredWhen: { status: [401, 403], bodyPath: 'error.code', bodyValues: ['TOKEN_EXPIRED'] },
      },
    });
    bearer = { authorization: `Bearer ${(await createApiToken(w.t.store, w.user.user.id, 'tests')).token}` };
  });
  afterEach(async () => {
    await w.close();
  });

  const version = async (id: string) =>
    (
      await w.t.store.db
        .selectFrom('connections')
        .select('credentials_version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).credentials_version;
  /** The service forgets the access token early, as a revocation of the access token alone does. */
  const forget = async (id: string) => {
    const stored = await w.t.connections.credentials.get(id);
    await server.provider.AccessToken.find((stored.placed[0] as PlacedValue).value.replace(/^Bearer /, '')).then((t) =>
      t?.destroy(),
    );
  };

  it('refreshes once and retries once after a 403 and after an error code in a 200', async () => {
    const { id } = await connect(w);
    for (const path of ['/forbidden/1', '/quiet/2']) {
      const before = await version(id);
      await forget(id);
      const res = await w.t.app.inject({
        method: 'GET',
        url: `/api/v1/connections/${id}/proxy${path}`,
        headers: bearer,
      });
      expect(res.json()).toEqual({ path, ok: true });
      expect(await version(id)).toBe(before + 1);
    }
    // Through the buffered path too (scenario modules, Verify): the error code in a 200 renews.
    const before = await version(id);
    await forget(id);
    const answer = await w.t.connections.client.request(id, { method: 'GET', url: '/quiet/3' });
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual({ path: '/quiet/3', ok: true });
    expect(await version(id)).toBe(before + 1);
  });
});

describe.each(dialects)('expiry signals of a key, which nothing renews, on $name', ({ open }) => {
  let service: Awaited<ReturnType<typeof startServer>>;
  let w: KindsWorld;
  let accepted = 'key-live-123456';

  beforeAll(async () => {
    service = await startServer((req, res) => {
      if (req.headers['x-api-key'] === accepted) json(res, 200, { id: 'k', name: 'Key user' });
      else json(res, 200, EXPIRED_BODY);
    });
  });
  afterAll(async () => {
    await service.close();
  });
  beforeEach(async () => {
    const app = {
      id: 'quietkey',
      name: 'Quiet key',
      connections: [
        {
          type: 'apiKey',
          keys: [{ parameter: 'apiKey', in: 'header', name: 'X-Api-Key' }],
          baseUrl: service.url,
          verify: { url: '/me', accountId: ['id'], accountLabel: ['name'] },
          expiredWhen: { bodyPath: 'error.code', bodyValues: ['TOKEN_EXPIRED'] },
          parameters: [{ name: 'apiKey', label: 'API key', type: 'password', secret: true, required: true }],
        },
      ],
    } as AppInput;
    w = await openKindsWorld(open, [app]);
  });
  afterEach(async () => {
    await w.close();
  });

  it('refuses a key the service calls expired in a 200, passes the proxy answer on, and Verify asks for a new key', async () => {
    const refused = await w.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: { app: 'quietkey', parameters: { apiKey: 'key-dead-000000' } },
    });
    expect(refused.statusCode).toBe(422);

    const { connection } = (
      await w.app.inject({
        method: 'POST',
        url: '/api/v1/connections',
        headers: w.headers,
        payload: { app: 'quietkey', parameters: { apiKey: accepted } },
      })
    ).json();
    accepted = 'key-rotated-654321';
    const proxied = await w.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${connection.id}/proxy/items`,
      headers: w.bearer,
    });
    expect(proxied.statusCode).toBe(200);
    expect(proxied.json()).toEqual(EXPIRED_BODY);

    const verified = await w.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${connection.id}/verify`,
      headers: w.headers,
    });
    expect(verified.json()).toMatchObject({ verified: false, connection: { status: 'reauthorization_required' } });
    expect(verified.json().connection.lastError.message).toBe(
      'The service no longer accepts this key: enter a new one.',
    );
  });
});
