import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import {
  APP_ID,
  connect,
  connectionRow,
  eventsOf,
  getConnection,
  openOAuthWorld,
  otherUser,
  startSharedOAuthServer,
  type OAuthWorld,
} from './harness.ts';

let server: OAuthServer;
beforeAll(async () => {
  server = await startSharedOAuthServer();
});
afterAll(async () => {
  await server.close();
});

describe.each(dialects)('managing connections on $name', ({ open }) => {
  let w: OAuthWorld;
  beforeAll(async () => {
    w = await openOAuthWorld(open, { sharedServer: server });
  });
  afterAll(async () => {
    await w.close();
  });

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = w.headers) =>
    w.t.app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  /** A pending connection of the generic app: no network needed to create it. */
  async function httpConnection(name?: string): Promise<string> {
    const res = await api('POST', '/api/v1/connections', {
      app: 'http',
      ...(name ? { name } : {}),
      parameters: {
        authorizeUri: w.server.authorizationEndpoint,
        tokenUri: w.server.tokenEndpoint,
        clientId: 'someone',
        clientSecret: 'their-secret',
        baseUrl: 'https://api.example.com',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ connection: { id: string } }>().connection.id;
  }

  describe('another team', () => {
    it('gets 404 on every route of a connection it does not own, sees it in no list, and changes nothing', async () => {
      const { id } = await connect(w);
      const mallory = await otherUser(w);
      const before = await connectionRow(w, id);
      const eventsBefore = (await eventsOf(w, id)).length;
      const grantsBefore = { ...w.server.grants };
      const revocationsBefore = w.server.revocations.length;

      const attempts = [
        await api('GET', `/api/v1/connections/${id}`, undefined, mallory.headers),
        await api('PATCH', `/api/v1/connections/${id}`, { name: 'mine now' }, mallory.headers),
        await api('POST', `/api/v1/connections/${id}/verify`, undefined, mallory.headers),
        await api('POST', `/api/v1/connections/${id}/reauthorize`, {}, mallory.headers),
        await api('DELETE', `/api/v1/connections/${id}`, undefined, mallory.headers),
        await api('DELETE', `/api/v1/connections/${id}?confirmed=true`, undefined, mallory.headers),
      ];
      for (const res of attempts) {
        expect(res.statusCode).toBe(404);
        expect(res.json().error.code).toBe('not_found');
      }
      // A connection that does not exist answers exactly the same.
      const missing = await api(
        'GET',
        '/api/v1/connections/0190a0a0-0000-7000-8000-000000000000',
        undefined,
        mallory.headers,
      );
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual(attempts[0]!.json());

      const theirList = await api('GET', '/api/v1/connections', undefined, mallory.headers);
      expect(theirList.statusCode).toBe(200);
      expect(theirList.json().items).toEqual([]);
      const peek = await api('GET', `/api/v1/connections?teamId=${w.teamId}`, undefined, mallory.headers);
      expect(peek.statusCode).toBe(404);

      expect(await connectionRow(w, id)).toEqual(before);
      expect((await eventsOf(w, id)).length).toBe(eventsBefore);
      expect(w.server.grants).toEqual(grantsBefore);
      expect(w.server.revocations.length).toBe(revocationsBefore);
      expect((await getConnection(w, id)).body.status).toBe('active');
    });
  });

  describe('list', () => {
    it('filters by app and status, and pages with limit and nextCursor', async () => {
      const team = await otherUser(w, 'Listing');
      const as = team.headers;
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const res = await api('POST', '/api/v1/connections', { app: APP_ID, name: `idp ${i}` }, as);
        ids.push(res.json().connection.id);
      }
      for (let i = 0; i < 2; i += 1) {
        const res = await api(
          'POST',
          '/api/v1/connections',
          {
            app: 'http',
            name: `http ${i}`,
            parameters: {
              authorizeUri: w.server.authorizationEndpoint,
              tokenUri: w.server.tokenEndpoint,
              clientId: 'c',
              clientSecret: 's',
            },
          },
          as,
        );
        ids.push(res.json().connection.id);
      }
      await w.t.store.db.updateTable('connections').set({ status: 'error' }).where('id', '=', ids[1]!).execute();

      const all = await api('GET', '/api/v1/connections', undefined, as);
      expect(all.json().items.map((c: { id: string }) => c.id)).toEqual(ids);
      expect(all.json().nextCursor).toBeNull();

      const byApp = await api('GET', '/api/v1/connections?app=http', undefined, as);
      expect(byApp.json().items.map((c: { name: string }) => c.name)).toEqual(['http 0', 'http 1']);
      const byStatus = await api('GET', '/api/v1/connections?status=error', undefined, as);
      expect(byStatus.json().items.map((c: { id: string }) => c.id)).toEqual([ids[1]]);
      const both = await api(
        'GET',
        `/api/v1/connections?app=${APP_ID}&status=pending&teamId=${team.teamId}`,
        undefined,
        as,
      );
      expect(both.json().items.map((c: { id: string }) => c.id)).toEqual([ids[0], ids[2]]);
      const badStatus = await api('GET', '/api/v1/connections?status=sleeping', undefined, as);
      expect(badStatus.statusCode).toBe(400);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await api('GET', `/api/v1/connections?limit=2${cursor ? `&cursor=${cursor}` : ''}`, undefined, as);
        expect(res.statusCode).toBe(200);
        const page = res.json<{ items: Array<{ id: string }>; nextCursor: string | null }>();
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(seen).toEqual(ids);
      expect(pages).toBe(3);

      const foreign = await api('GET', `/api/v1/connections?teamId=${w.teamId}`, undefined, as);
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json().error.code).toBe('not_found');
    });
  });

  describe('PATCH', () => {
    it('renames (trimmed) and records the event', async () => {
      const id = await httpConnection('Before');
      const res = await api('PATCH', `/api/v1/connections/${id}`, { name: '  After  ' });
      expect(res.statusCode).toBe(200);
      expect(res.json().name).toBe('After');
      expect((await getConnection(w, id)).body.name).toBe('After');
      const renamed = (await eventsOf(w, id)).filter((e) => e.type === 'connection.renamed');
      expect(renamed).toHaveLength(1);
      expect(renamed[0]!.actor).toBe(`user:${w.user.user.id}`);
      expect(renamed[0]!.message).toContain('"After"');

      const exact = 'x'.repeat(128);
      expect((await api('PATCH', `/api/v1/connections/${id}`, { name: ` ${exact} ` })).json().name).toBe(exact);
    });

    it('refuses a name that is empty, blank or longer than 128 characters, naming the field', async () => {
      const id = await httpConnection('Keep me');
      for (const name of ['', '   ', 'x'.repeat(129), 5, null]) {
        const res = await api('PATCH', `/api/v1/connections/${id}`, { name });
        expect(res.statusCode, JSON.stringify(name)).toBe(400);
        expect(res.json().error.code).toBe('validation_failed');
        expect(res.json().error.field ?? res.json().error.message).toMatch(/name/);
      }
      expect((await getConnection(w, id)).body.name).toBe('Keep me');
      expect((await eventsOf(w, id)).some((e) => e.type === 'connection.renamed')).toBe(false);
    });

    it('changes only editable, non-secret parameters', async () => {
      const id = await httpConnection();
      const ok = await api('PATCH', `/api/v1/connections/${id}`, { parameters: { headerTokenName: 'Token' } });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().data).toMatchObject({ headerTokenName: 'Token', authorizeUri: w.server.authorizationEndpoint });
      expect((await eventsOf(w, id)).some((e) => e.type === 'connection.updated')).toBe(true);

      const before = await connectionRow(w, id);
      for (const [name, value] of [
        ['clientSecret', 'new-secret'],
        ['clientId', 'another'],
        ['authorizeUri', 'https://evil.example/auth'],
        // Security II: the Base URL is a destination; tokens were issued for the old one, so a new one means reauthorizing.
        ['baseUrl', 'https://api2.example.com'],
        ['nonsense', 'x'],
      ] as const) {
        const res = await api('PATCH', `/api/v1/connections/${id}`, { parameters: { [name]: value } });
        expect(res.statusCode, name).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'validation_failed', field: `parameters.${name}` });
      }
      const badUrl = await api('PATCH', `/api/v1/connections/${id}`, { parameters: { baseUrl: 'not a url' } });
      expect(badUrl.statusCode).toBe(400);
      expect(badUrl.json().error.field).toBe('parameters.baseUrl');
      expect(await connectionRow(w, id)).toEqual(before);
    });

    it("refuses the test app's client fields, which are not editable", async () => {
      const { id } = await connect(w);
      const res = await api('PATCH', `/api/v1/connections/${id}`, { parameters: { clientSecret: 'x' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('parameters.clientSecret');
    });
  });
});
