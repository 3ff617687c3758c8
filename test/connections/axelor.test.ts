import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/store.ts';
import { startSessionService, type SessionService } from '../peers/session-service.ts';
import { openKindsWorld, type KindsWorld } from './kinds-harness.ts';

/**
 * The built-in Axelor app against a service that answers as Axelor Open Platform's
 * documentation says: `POST /callback` sets JSESSIONID, CSRF is checked only for
 * browser requests (with an Origin), API keys go in `API-KEY`, Basic only where enabled.
 */
describe.each(dialects)('the Axelor app on $name', ({ open }) => {
  let axelor: SessionService;
  let w: KindsWorld;

  beforeAll(async () => {
    axelor = await startSessionService({
      loginPath: '/callback',
      cookieName: 'JSESSIONID',
      csrf: 'browser-only',
      basicAuth: true,
      ttlSeconds: 3600,
    });
    axelor.users.set('admin', 'admin-secret-1');
    axelor.apiKeys.set('axk_0123456789abcdef0123456789', 'admin');
  });
  afterAll(async () => {
    await axelor.close();
  });
  beforeEach(async () => {
    w = await openKindsWorld(open, [], { scenarios: true });
  });
  afterEach(async () => {
    await w.close();
  });

  const create = (payload: Record<string, unknown>) =>
    w.app.inject({ method: 'POST', url: '/api/v1/connections', headers: w.headers, payload });

  it('offers session first, then API key and Basic', async () => {
    const app = (await w.app.inject({ method: 'GET', url: '/api/v1/apps/axelor', headers: w.headers })).json();
    expect(app.auth.map((k: { type: string }) => k.type)).toEqual(['session', 'apiKey', 'basic']);
    expect(app.auth[0].parameters.find((p: { name: string }) => p.name === 'instanceUrl')).toMatchObject({
      destination: true,
    });
  });

  it('signs in through /callback by default, searches through a module and logs in again after a 401', async () => {
    const created = await create({
      app: 'axelor',
      parameters: { instanceUrl: axelor.url, username: 'admin', password: 'admin-secret-1' },
    });
    expect(created.statusCode).toBe(201);
    const { connection } = created.json();
    expect(connection).toMatchObject({ auth: 'session', status: 'active' });
    const login = axelor.seen.find((r) => r.path === '/callback')!;
    expect(login.headers['content-type']).toBe('application/json');
    expect(login.headers.origin).toBeUndefined();

    const scenario = await w.app.inject({
      method: 'POST',
      url: '/api/v1/scenarios',
      headers: w.headers,
      payload: {
        name: 'Partners',
        modules: [
          {
            id: 1,
            app: 'axelor',
            module: 'search-records',
            connectionId: connection.id,
            inputs: { model: 'com.axelor.apps.base.db.Partner', limit: 5 },
          },
        ],
      },
    });
    expect(scenario.statusCode).toBe(201);
    const run = () =>
      w.app.inject({
        method: 'POST',
        url: `/api/v1/scenarios/${scenario.json().id}/run`,
        headers: w.headers,
        payload: {},
      });
    expect((await run()).json().execution).toMatchObject({
      status: 'success',
      modules: [{ output: { data: [{ id: 1 }] } }],
    });
    const search = axelor.seen.at(-1)!;
    expect(search).toMatchObject({ method: 'POST', path: '/ws/rest/com.axelor.apps.base.db.Partner/search' });
    expect(search.headers.cookie).toMatch(/^JSESSIONID=/);

    axelor.expireAll();
    const logins = axelor.counts.logins;
    expect((await run()).json().execution.status).toBe('success');
    expect(axelor.counts.logins - logins).toBe(1);
  });

  it('takes an API key in the API-KEY header and keeps its expiry as the renew-by date', async () => {
    const refused = await create({
      app: 'axelor',
      auth: 'apiKey',
      parameters: { instanceUrl: axelor.url, apiKey: 'axk_not-a-key-at-all-000000', expiresAt: '2030-01-31' },
    });
    expect(refused.statusCode).toBe(422);
    const badDate = await create({
      app: 'axelor',
      auth: 'apiKey',
      parameters: { instanceUrl: axelor.url, apiKey: 'axk_0123456789abcdef0123456789', expiresAt: 'next month' },
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error).toMatchObject({ code: 'validation_failed', field: 'parameters.expiresAt' });

    const created = await create({
      app: 'axelor',
      auth: 'apiKey',
      parameters: { instanceUrl: axelor.url, apiKey: 'axk_0123456789abcdef0123456789', expiresAt: '2030-01-31' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().connection).toMatchObject({
      auth: 'apiKey',
      status: 'active',
      renewBy: '2030-01-31T00:00:00.000Z',
    });
    expect(axelor.seen.at(-1)!.headers['api-key']).toBe('axk_0123456789abcdef0123456789');
  });

  it('keeps Basic for installations that enable it', async () => {
    const created = await create({
      app: 'axelor',
      auth: 'basic',
      parameters: { instanceUrl: axelor.url, username: 'admin', password: 'admin-secret-1' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().connection).toMatchObject({ auth: 'basic', status: 'active' });
    const proxied = await w.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${created.json().connection.id}/proxy/com.axelor.apps.base.db.Partner/1`,
      headers: w.bearer,
    });
    expect(proxied.statusCode).toBe(200);
  });
});
