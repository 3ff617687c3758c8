import type { PlacedValue } from '../../src/outbound/types.ts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/store.ts';
import { startSessionService, type SessionService } from '../peers/session-service.ts';
import { cookieSessionApp, openKindsWorld, type KindsWorld } from './kinds-harness.ts';

/**
 * The session-login kind against a service that hands out cookie sessions with a CSRF
 * token and lets them lapse on its own clock, for each way a service says "expired":
 * a 401, a 403, and an error code inside a 200.
 */

const SIGNALS = [
  { name: 'a 401', prefix: '/api', expiredWhen: undefined },
  { name: 'a 403', prefix: '/api403', expiredWhen: { status: [401, 403] } },
  {
    name: 'an error code in a 200',
    prefix: '/apibody',
    expiredWhen: { bodyPath: 'error.code', bodyValues: ['TOKEN_EXPIRED'] },
  },
] as const;

const sessionApp = (service: SessionService, signal: (typeof SIGNALS)[number]) =>
  cookieSessionApp('sessioned', service.url, {
    prefix: signal.prefix,
    expiredWhen: signal.expiredWhen,
    modules: [
      {
        id: 'create-note',
        name: 'Create a note',
        inputs: [{ name: 'title', label: 'Title', required: true }],
        request: { method: 'POST', url: '/notes', body: { title: '{{title}}' } },
      },
    ],
  });

describe.each(dialects)('session login on $name', ({ open }) => {
  describe.each(SIGNALS)('a service that says "expired" with $name', (signal) => {
    let service: SessionService;
    let w: KindsWorld;

    beforeAll(async () => {
      service = await startSessionService({ ttlSeconds: 600 });
    });
    afterAll(async () => {
      await service.close();
    });
    beforeEach(async () => {
      service.users.set('ann', 'pw "quoted" & more');
      w = await openKindsWorld(open, [sessionApp(service, signal)], { scenarios: true });
    });
    afterEach(async () => {
      await w.close();
    });

    const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
      w.app.inject({ method, url, headers: w.headers, ...(payload ? { payload } : {}) });
    const proxy = (id: string, method: 'GET' | 'POST', path: string) =>
      w.app.inject({
        method,
        url: `/api/v1/connections/${id}/proxy${path}`,
        headers: { ...w.bearer, 'content-type': 'application/json' },
        ...(method === 'POST' ? { payload: '{}' } : {}),
      });

    it('goes create → verify → proxy and module → renew (50 callers, one login) → delete', async () => {
      const refused = await api('POST', '/api/v1/connections', {
        app: 'sessioned',
        parameters: { username: 'ann', password: 'not-the-password' },
      });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error).toMatchObject({ code: 'credentials_rejected' });
      expect(refused.json().error.message).toContain('HTTP 401');
      expect(refused.body).not.toContain('not-the-password');
      expect(await w.store.db.selectFrom('connections').select('id').execute()).toHaveLength(0);

      const created = await api('POST', '/api/v1/connections', {
        app: 'sessioned',
        parameters: { username: 'ann', password: 'pw "quoted" & more' },
      });
      expect(created.statusCode).toBe(201);
      const { connection } = created.json();
      expect(connection).toMatchObject({ auth: 'session', status: 'active', account: { id: 'ann' } });
      // The lifetime the app declares, counted from the login.
      expect(Date.parse(connection.expiresAt) - Date.now()).toBeGreaterThan(590_000);
      expect(service.counts.logins).toBe(1);

      const verified = await api('POST', `/api/v1/connections/${connection.id}/verify`);
      expect(verified.json().verified).toBe(true);

      // A POST needs the session cookie and the CSRF token in its header and cookie: the service checks both.
      const posted = await proxy(connection.id, 'POST', '/notes');
      expect(posted.statusCode).toBe(200);
      expect(posted.json()).toMatchObject({ who: 'ann', method: 'POST', path: `${signal.prefix}/notes` });
      const sent = service.seen.at(-1)!;
      expect(sent.headers.cookie).toMatch(/SID=[^;]+; CSRF-TOKEN=[0-9a-f]+/);
      expect(sent.headers.cookie).not.toContain('stale');

      const scenario = await api('POST', '/api/v1/scenarios', {
        name: 'Notes',
        modules: [
          {
            id: 1,
            app: 'sessioned',
            module: 'create-note',
            connectionId: connection.id,
            inputs: { title: 'hello' },
          },
        ],
      });
      expect(scenario.statusCode).toBe(201);
      const run = await api('POST', `/api/v1/scenarios/${scenario.json().id}/run`, {});
      expect(run.json().execution).toMatchObject({ status: 'success' });
      expect(run.json().execution.modules[0].output.body).toMatchObject({ who: 'ann', method: 'POST' });

      // The service ends every session on its own: 50 callers see it say so, and one login follows.
      service.expireAll();
      const before = service.counts.logins;
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => proxy(connection.id, i % 2 ? 'POST' : 'GET', `/things/${i}`)),
      );
      expect(answers.map((a) => a.statusCode)).toEqual(Array.from({ length: 50 }, () => 200));
      expect(answers.every((a) => a.json<{ who?: string }>().who === 'ann')).toBe(true);
      expect(service.counts.logins - before).toBe(1);

      // Due by the lifetime it was given: 50 callers, one login before it lapses.
      await w.store.db
        .updateTable('connections')
        .set({ next_refresh_at: Date.now() - 1 })
        .where('id', '=', connection.id)
        .execute();
      w.connections.credentials.cache.clear();
      const due = await Promise.all(Array.from({ length: 50 }, () => w.connections.credentials.get(connection.id)));
      expect(new Set(due.map((c) => (c.placed[0] as PlacedValue).value)).size).toBe(1);
      expect(service.counts.logins - before).toBe(2);
      const row = await w.store.db
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', connection.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'active', refreshing_until: null });

      const logoutsBefore = service.counts.logouts;
      const deleted = await api('DELETE', `/api/v1/connections/${connection.id}?confirmed=true`);
      expect(deleted.statusCode).toBe(204);
      expect(service.counts.logouts - logoutsBefore).toBe(1);
      expect(await w.store.db.selectFrom('connections').select('id').execute()).toHaveLength(0);
    });

    it('asks for the sign-in details again once the service refuses them, and reauthorize restores the connection', async () => {
      const { connection } = (
        await api('POST', '/api/v1/connections', {
          app: 'sessioned',
          parameters: { username: 'ann', password: 'pw "quoted" & more' },
        })
      ).json();
      service.users.set('ann', 'a-new-password');
      service.expireAll();

      const answer = await proxy(connection.id, 'GET', '/things');
      expect(answer.statusCode).toBe(424);
      expect(answer.json().error.code).toBe('reauthorization_required');
      const shown = (await api('GET', `/api/v1/connections/${connection.id}`)).json();
      expect(shown.status).toBe('reauthorization_required');
      expect(shown.lastError.message).toContain("no longer accepts this connection's sign-in details (HTTP 401)");
      expect(JSON.stringify(shown)).not.toContain('Wrong user name');

      const again = await api('POST', `/api/v1/connections/${connection.id}/reauthorize`, {
        parameters: { password: 'a-new-password' },
      });
      expect(again.statusCode).toBe(200);
      expect(again.json().connection).toMatchObject({ status: 'active', lastError: null });
      expect((await proxy(connection.id, 'GET', '/things')).statusCode).toBe(200);
    });
  });
});

describe.each(dialects)('the generic HTTP app’s session login on $name', ({ open }) => {
  let service: SessionService;
  let w: KindsWorld;

  beforeAll(async () => {
    service = await startSessionService({ ttlSeconds: 900 });
    service.users.set('bo', 'form & "json" = secret');
  });
  afterAll(async () => {
    await service.close();
  });
  beforeEach(async () => {
    w = await openKindsWorld(open, []);
  });
  afterEach(async () => {
    await w.close();
  });

  it('logs in with a form, keeps a token from the JSON answer for its stated lifetime, and reads expiry from the body', async () => {
    const created = await w.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: {
        app: 'http',
        auth: 'session',
        parameters: {
          loginUri: `${service.url}/token-login`,
          loginContentType: 'form',
          loginBody: 'username={{username}}&password={{password}}',
          username: 'bo',
          password: 'form & "json" = secret',
          sessionFrom: ['json:data.token'],
          sessionPlacement: ['header:X-Auth-Token'],
          sessionLifetimePath: 'expires_in',
          baseUrl: `${service.url}/apibody`,
          verifyUri: `${service.url}/apibody/me`,
          expiredBodyPath: 'error.code',
          expiredBodyValues: ['TOKEN_EXPIRED'],
        },
      },
    });
    expect(created.statusCode).toBe(201);
    const { connection } = created.json();
    expect(connection).toMatchObject({ auth: 'session', status: 'active', account: { id: 'bo' } });
    const lifetime = Date.parse(connection.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(890_000);
    expect(lifetime).toBeLessThanOrEqual(900_000);

    service.expireAll();
    const logins = service.counts.logins;
    const res = await w.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${connection.id}/proxy/items`,
      headers: w.bearer,
    });
    expect(res.json()).toMatchObject({ who: 'bo', path: '/apibody/items' });
    expect(service.counts.logins - logins).toBe(1);
  });

  it('refuses a source it cannot read, naming the parameter, and saves nothing', async () => {
    const res = await w.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: {
        app: 'http',
        auth: 'session',
        parameters: {
          loginUri: `${service.url}/login`,
          username: 'bo',
          password: 'form & "json" = secret',
          sessionFrom: ['SID'],
          baseUrl: `${service.url}/api`,
        },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', field: 'parameters.sessionFrom' });
    expect(res.json().error.message).toContain('cookie:<name>');
    expect(await w.store.db.selectFrom('connections').select('id').execute()).toHaveLength(0);
  });
});
