import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import {
  APP_ID,
  callbackPath,
  connect,
  getConnection,
  openOAuthWorld,
  otherUser,
  startSharedOAuthServer,
  type OAuthWorld,
} from './harness.ts';

const DAY_MS = 24 * 60 * 60_000;

let server: OAuthServer;
beforeAll(async () => {
  server = await startSharedOAuthServer();
});
afterAll(async () => {
  await server.close();
});

/** A flow left unfinished (the person closed the window) leaves a pending connection. */
describe.each(dialects)('pending connections on $name', ({ open }) => {
  let w: OAuthWorld;
  beforeAll(async () => {
    w = await openOAuthWorld(open, { sharedServer: server });
  });
  afterAll(async () => {
    await w.close();
  });

  const create = async (headers = w.headers, body: Record<string, unknown> = {}) => {
    const res = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers,
      payload: { app: APP_ID, ...body },
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ connection: { id: string; status: string }; authorizeUrl: string }>();
  };

  it('removes pending connections older than a day, and only those', async () => {
    const old = await create();
    const fresh = await create();
    const elsewhere = await create((await otherUser(w)).headers);
    const { id: activeOld } = await connect(w);
    const longAgo = Date.now() - DAY_MS - 60_000;
    // created_at is immutable in the schema: only a test ages a row.
    await w.t.store.db
      .updateTable('connections')
      .set({ created_at: longAgo } as never)
      .where('id', 'in', [old.connection.id, elsewhere.connection.id, activeOld])
      .execute();

    expect(await w.t.connections.service.removeStalePending()).toBe(2);
    expect((await getConnection(w, old.connection.id)).status).toBe(404);
    expect((await getConnection(w, fresh.connection.id)).body.status).toBe('pending');
    expect((await getConnection(w, activeOld)).body.status).toBe('active');
    expect(
      await w.t.store.db.selectFrom('connections').select('id').where('id', '=', elsewhere.connection.id).execute(),
    ).toEqual([]);

    // The removed connection's flow can no longer complete anything.
    const { callbackUrl } = await w.server.authorize(old.authorizeUrl, { login: 'alice@example.com', consent: true });
    const codes = w.server.grants.authorization_code;
    const cb = await w.t.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w.pageHeaders });
    expect(cb.statusCode).toBe(400);
    expect(w.server.grants.authorization_code).toBe(codes);
    expect(await w.t.connections.service.removeStalePending()).toBe(0);
  });

  it('reauthorizing a pending connection reuses its id, keeps the scopes asked at creation, and completes it', async () => {
    const { connection } = await create(w.headers, { scopes: ['read'], name: 'Half done' });
    const countBefore = (await w.t.store.db.selectFrom('connections').select('id').execute()).length;

    const res = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${connection.id}/reauthorize`,
      headers: w.headers,
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(200);
    const url = new URL(res.json().authorizeUrl);
    expect(url.searchParams.get('scope')!.split(' ').sort()).toEqual(['email', 'openid', 'read']);
    const { callbackUrl } = await w.server.authorize(url, { login: 'alice@example.com', consent: true });
    const cb = await w.t.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w.pageHeaders });
    expect(cb.statusCode, cb.body).toBe(200);
    expect(cb.body).toContain(connection.id);

    const { body } = await getConnection(w, connection.id);
    expect(body).toMatchObject({
      id: connection.id,
      name: 'Half done',
      status: 'active',
      account: { label: 'alice@example.com' },
    });
    expect(body.scopes.sort()).toEqual(['email', 'openid', 'read']);
    expect((await w.t.store.db.selectFrom('connections').select('id').execute()).length).toBe(countBefore);
  });
});
