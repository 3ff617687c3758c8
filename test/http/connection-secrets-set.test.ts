/**
 * `secretsSet`: which secret parameters a connection holds, by name — so a form
 * shows "set — replace" only for what is there, and asks for exactly those again
 * at a new destination — while the values themselves never leave.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, getConnection, openOAuthWorld, type OAuthWorld } from '../connections/harness.ts';
import { dialects } from '../helpers/store.ts';
import { maybe } from '../helpers/maybe.ts';

const KEY = 'secrets-set-key-0001';

describe.each(dialects)('the secrets a connection holds, by name, on $name', ({ open }) => {
  let w: OAuthWorld;
  beforeAll(async () => {
    w = await openOAuthWorld(open);
  });
  afterAll(async () => maybe(w)?.close());

  it('names an API key connection’s key, never its value, through create, read and a new destination', async () => {
    const created = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: {
        app: 'http',
        auth: 'apiKey',
        parameters: { key: KEY, placement: 'header', parameterName: 'X-Key', baseUrl: w.server.issuer },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { connection } = created.json<{ connection: { id: string; secretsSet: string[] } }>();
    expect(connection.secretsSet).toEqual(['key']);
    expect(created.body).not.toContain(KEY);

    const moved = await w.t.app.inject({
      method: 'PATCH',
      url: `/api/v1/connections/${connection.id}`,
      headers: w.headers,
      payload: { parameters: { baseUrl: `${w.server.issuer}/v2`, key: 'secrets-set-key-0002' } },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ secretsSet: ['key'], data: { baseUrl: `${w.server.issuer}/v2` } });
    expect(moved.body).not.toContain('secrets-set-key-0002');
  });

  it('names none for an OAuth connection made with the platform’s own client', async () => {
    const { id } = await connect(w);
    const { body } = await getConnection(w, id);
    expect(body.status).toBe('active');
    expect(body.secretsSet).toEqual([]);
  });
});
