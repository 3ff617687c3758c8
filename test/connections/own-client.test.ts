import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestStore } from '../helpers/store.ts';
import {
  APP_ID,
  callbackPath,
  connect,
  connectionRow,
  getConnection,
  openOAuthWorld,
  type OAuthWorld,
} from './harness.ts';

/** An app with no platform client: the person brings their own under advanced settings. */
describe("the person's own OAuth client", () => {
  let w: OAuthWorld;
  beforeAll(async () => {
    w = await openOAuthWorld(sqliteTestStore, { platformClient: false });
  });
  afterAll(async () => {
    await w.close();
  });

  const reauthorize = (id: string, body: Record<string, unknown>) =>
    w.t.app.inject({ method: 'POST', url: `/api/v1/connections/${id}/reauthorize`, headers: w.headers, payload: body });

  async function callbackAfter(authorizeUrl: string, consent: true | 'deny' = true) {
    const { callbackUrl } = await w.server.authorize(authorizeUrl, { login: 'alice@example.com', consent });
    return w.t.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w.pageHeaders });
  }

  /** Forces one refresh-token grant now, as after a 401, and says how the service answered. */
  async function forceRenewal(id: string): Promise<{ clientId: string | undefined; status: number }> {
    w.t.connections.credentials.cache.clear();
    const creds = await w.t.connections.credentials.get(id);
    await w.t.connections.credentials.get(id, { staleVersion: creds.version }).catch(() => undefined);
    const last = w.server.tokenRequests.at(-1)!;
    expect(last.grantType).toBe('refresh_token');
    return { clientId: last.clientId, status: last.status };
  }

  it('answers 400 client_missing on create, saving nothing', async () => {
    const res = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: { app: APP_ID },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('client_missing');
    expect(res.json().error.message).toMatch(/Client ID and Client Secret/);
    expect(await w.t.store.db.selectFrom('connections').select('id').execute()).toEqual([]);
  });

  it('works with parameters.clientId and clientSecret, which never come back', async () => {
    const post = w.server.client('client_secret_post');
    const { id, callbackStatus } = await connect(w, {
      parameters: { clientId: post.clientId, clientSecret: post.clientSecret },
    });
    expect(callbackStatus).toBe(200);
    const { body } = await getConnection(w, id);
    expect(body.status).toBe('active');
    expect(body.data.clientId).toBe(post.clientId);
    expect(JSON.stringify(body)).not.toContain(post.clientSecret);
    expect(w.server.tokenRequests.at(-1)).toMatchObject({
      grantType: 'authorization_code',
      clientId: post.clientId,
      status: 200,
    });
  });

  it('applies a new client secret given with reauthorize only once that authorization succeeds', async () => {
    const post = w.server.client('client_secret_post');
    const oldSecret = post.clientSecret;
    const { id } = await connect(w, { parameters: { clientId: post.clientId, clientSecret: oldSecret } });

    // Denied: the new secret is dropped, and the old one keeps working.
    const denied = await reauthorize(id, { parameters: { clientSecret: 'a-secret-that-never-applies' } });
    expect(denied.statusCode, denied.body).toBe(200);
    expect((await callbackAfter(denied.json().authorizeUrl, 'deny')).statusCode).toBe(400);
    expect(await forceRenewal(id)).toEqual({ clientId: post.clientId, status: 200 });

    // Consented, but the service refuses the new client secret: nothing is stored either.
    const before = await connectionRow(w, id);
    const wrong = await reauthorize(id, { parameters: { clientSecret: 'wrong-secret' } });
    const refused = await callbackAfter(wrong.json().authorizeUrl);
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.statusCode).toBeLessThan(500);
    expect(await connectionRow(w, id)).toEqual(before);
    expect(await forceRenewal(id)).toEqual({ clientId: post.clientId, status: 200 });

    // The administrator of the client rotates its secret at the service; the old one stops working there.
    const newSecret = randomBytes(24).toString('base64url');
    post.clientSecret = newSecret;
    w.server.setRedirectUris(post.redirectUris);
    try {
      const rotated = await reauthorize(id, { parameters: { clientSecret: newSecret } });
      const ok = await callbackAfter(rotated.json().authorizeUrl);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(await forceRenewal(id)).toEqual({ clientId: post.clientId, status: 200 });
      const { body } = await getConnection(w, id);
      expect(body.status).toBe('active');
      expect(JSON.stringify(body)).not.toContain(newSecret);
    } finally {
      post.clientSecret = oldSecret;
      w.server.setRedirectUris(post.redirectUris);
    }
  });
});
