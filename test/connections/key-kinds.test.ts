import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/store.ts';
import {
  keyApps,
  openKindsWorld,
  serviceHandler,
  startServer,
  type Accepted,
  type KindsWorld,
} from './kinds-harness.ts';

describe.each(dialects)('API-key and Basic connections on $name', ({ open }) => {
  const accepted: Accepted = { apiKey: '', trelloKey: '', trelloToken: '', username: 'ann', password: '' };
  const seen: Parameters<typeof serviceHandler>[1] = [];
  let service: Awaited<ReturnType<typeof startServer>>;
  let w: KindsWorld;

  beforeAll(async () => {
    service = await startServer(serviceHandler(accepted, seen));
  });
  afterAll(async () => {
    await service.close();
  });
  beforeEach(async () => {
    Object.assign(accepted, {
      apiKey: 'key-one-1234567890',
      trelloKey: 'trello-key-abcdef',
      trelloToken: 'trello-token-ghijkl',
      password: 'pw-correct-horse',
    });
    w = await openKindsWorld(open, keyApps(service.url));
  });
  afterEach(async () => {
    await w.close();
  });

  const create = (payload: Record<string, unknown>) =>
    w.app.inject({ method: 'POST', url: '/api/v1/connections', headers: w.headers, payload });
  const count = async () => (await w.store.db.selectFrom('connections').select('id').execute()).length;

  it('refuses a wrong key with 422 and the service’s reason, saving nothing and never echoing the key', async () => {
    const res = await create({ app: 'keyed', parameters: { apiKey: 'wrong-key-000000' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('credentials_rejected');
    expect(res.json().error.message).toContain('HTTP 401');
    expect(res.json().error.message).toContain('Invalid API key');
    expect(res.body).not.toContain('wrong-key-000000');
    expect(await count()).toBe(0);
  });

  it('saves an accepted key as an active connection with the account the service names', async () => {
    const res = await create({ app: 'keyed', parameters: { apiKey: accepted.apiKey } });
    expect(res.statusCode).toBe(201);
    const { connection, authorizeUrl } = res.json();
    expect(authorizeUrl).toBeNull();
    expect(connection).toMatchObject({
      auth: 'apiKey',
      status: 'active',
      account: { id: 'key-user', label: 'key-user account' },
    });
    expect(connection.lastVerifiedAt).not.toBeNull();
    expect(res.body).not.toContain(accepted.apiKey);
    expect(JSON.stringify(connection.data)).not.toContain(accepted.apiKey);
  });

  it('sends several keys in the query string (Trello) and Basic credentials in the header', async () => {
    const trello = await create({
      app: 'trelloish',
      parameters: { key: accepted.trelloKey, token: accepted.trelloToken },
    });
    expect(trello.statusCode).toBe(201);
    expect(trello.json().connection.account.id).toBe('trello-user');
    const basic = await create({ app: 'basicish', parameters: { username: 'ann', password: accepted.password } });
    expect(basic.statusCode).toBe(201);
    expect(basic.json().connection.account.id).toBe('basic-user');
    const wrong = await create({ app: 'basicish', parameters: { username: 'ann', password: 'nope-nope' } });
    expect(wrong.statusCode).toBe(422);
    expect(await count()).toBe(2);
  });

  it('marks a key that stops working reauthorization_required, and reauthorize replaces it only once the new key works', async () => {
    const { connection } = (
      await create({ app: 'keyed', name: 'Prod key', parameters: { apiKey: accepted.apiKey } })
    ).json();
    accepted.apiKey = 'key-two-0987654321';

    const verify = await w.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${connection.id}/verify`,
      headers: w.headers,
    });
    expect(verify.json()).toMatchObject({ verified: false, connection: { status: 'reauthorization_required' } });
    expect(verify.json().connection.lastError.message).toBe('The service no longer accepts this key: enter a new one.');

    const bad = await w.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${connection.id}/reauthorize`,
      headers: w.headers,
      payload: { parameters: { apiKey: 'still-wrong-key-1' } },
    });
    expect(bad.statusCode).toBe(422);
    expect(
      (await w.app.inject({ method: 'GET', url: `/api/v1/connections/${connection.id}`, headers: w.headers })).json()
        .status,
    ).toBe('reauthorization_required');

    const good = await w.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${connection.id}/reauthorize`,
      headers: w.headers,
      payload: { parameters: { apiKey: accepted.apiKey } },
    });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({
      authorizeUrl: null,
      connection: { id: connection.id, status: 'active', lastError: null },
    });
    const again = await w.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${connection.id}/verify`,
      headers: w.headers,
    });
    expect(again.json().verified).toBe(true);

    const types = (
      await w.store.db
        .selectFrom('events')
        .select('type')
        .where('connection_id', '=', connection.id)
        .orderBy('id')
        .execute()
    ).map((e) => e.type);
    // Events of the same millisecond may sort either way by id.
    expect(types.sort()).toEqual([
      'connection.authorized',
      'connection.created',
      'connection.reauthorization_required',
      'connection.reauthorized',
      'connection.verified',
      'connection.verify_failed',
    ]);
  });

  it('offers API key and Basic in the generic HTTP app', async () => {
    const key = await create({
      app: 'http',
      auth: 'apiKey',
      parameters: {
        key: accepted.apiKey,
        placement: 'header',
        parameterName: 'Authorization',
        prefix: 'Token',
        baseUrl: `${service.url}/v1`,
        verifyUri: `${service.url}/v1/me`,
      },
    });
    expect(key.statusCode).toBe(201);
    expect(key.json().connection.status).toBe('active');
    const refused = await create({
      app: 'http',
      auth: 'apiKey',
      parameters: {
        key: 'bad-key-xxxxxxxx',
        placement: 'header',
        parameterName: 'X-Api-Key',
        baseUrl: `${service.url}/v1`,
        verifyUri: `${service.url}/v1/me`,
      },
    });
    expect(refused.statusCode).toBe(422);
    const basic = await create({
      app: 'http',
      auth: 'basic',
      parameters: {
        username: 'ann',
        password: accepted.password,
        baseUrl: `${service.url}/v1`,
        verifyUri: `${service.url}/v1/me`,
      },
    });
    expect(basic.statusCode).toBe(201);
    expect(basic.json().connection).toMatchObject({ auth: 'basic', status: 'active' });
  });
});
