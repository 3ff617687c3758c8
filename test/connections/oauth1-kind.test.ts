import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpModules } from '../../src/scenarios/modules/http.ts';
import type { PlacedCredential } from '../../src/outbound/types.ts';
import { PUBLIC_URL } from '../http/app.ts';
import { dialects } from '../helpers/store.ts';
import { startOAuth1Provider, type OAuth1Provider } from '../peers/oauth1-provider.ts';
import { callbackPath } from './harness.ts';
import { openKindsWorld, type KindsWorld } from './kinds-harness.ts';

/**
 * The OAuth 1.0a kind through Hitch as people use it — the generic HTTP app's
 * `oauth1` connection: create → the three legs through the one callback → verify
 * → the proxy and a module, every request signed → a revoked token → delete —
 * against a provider written from RFC 5849 that checks every signature.
 */

const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const consumer = { key: 'hitch-consumer', secret: 'consumer secret ~*+ä&' };

describe.each(dialects)('OAuth 1.0a connections on $name', ({ open }) => {
  let provider: OAuth1Provider;
  let w: KindsWorld;

  beforeAll(async () => {
    provider = await startOAuth1Provider({ consumers: { [consumer.key]: { secret: consumer.secret, publicKey } } });
  });
  afterAll(async () => {
    await provider.close();
  });
  beforeEach(async () => {
    w = await openKindsWorld(open, []);
  });
  afterEach(async () => {
    await w.close();
  });

  const parameters = (extra: Record<string, string> = {}) => ({
    requestTokenUri: `${provider.origin}/oauth/request_token`,
    authorizeUri: `${provider.origin}/oauth/authorize`,
    accessTokenUri: `${provider.origin}/oauth/access_token`,
    consumerKey: consumer.key,
    consumerSecret: consumer.secret,
    baseUrl: `${provider.origin}/1`,
    verifyUri: `${provider.origin}/1/members/me`,
    ...extra,
  });
  const create = (extra: Record<string, string> = {}) =>
    w.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: { app: 'http', auth: 'oauth1', parameters: parameters(extra) },
    });
  const pageHeaders = () => ({ cookie: w.cookie, host: new URL(PUBLIC_URL).host });
  const show = async (id: string) =>
    (await w.app.inject({ method: 'GET', url: `/api/v1/connections/${id}`, headers: w.headers })).json();

  /** Create, approve at the service, come back through the callback. */
  async function connect(extra: Record<string, string> = {}): Promise<string> {
    const created = await create(extra);
    expect(created.statusCode, created.body).toBe(201);
    const { connection, authorizeUrl } = created.json<{ connection: { id: string }; authorizeUrl: string }>();
    const consented = await fetch(authorizeUrl, { redirect: 'manual' });
    const callback = await w.app.inject({
      method: 'GET',
      url: callbackPath(consented.headers.get('location')!),
      headers: pageHeaders(),
    });
    expect(callback.body).toContain('The connection is established.');
    return connection.id;
  }

  const proxy = (id: string, path: string, options: { method?: 'GET' | 'POST'; body?: string; type?: string } = {}) =>
    w.app.inject({
      method: options.method ?? 'GET',
      url: `/api/v1/connections/${id}/proxy${path}`,
      headers: { ...w.bearer, ...(options.type ? { 'content-type': options.type } : {}) },
      ...(options.body !== undefined ? { payload: options.body } : {}),
    });

  it('goes create → consent → callback → verify → proxy and module → revoked → reauthorized → delete', async () => {
    const created = await create();
    expect(created.statusCode, created.body).toBe(201);
    const { connection, authorizeUrl } = created.json<{
      connection: { id: string; status: string };
      authorizeUrl: string;
    }>();
    expect(connection.status).toBe('pending');
    expect(authorizeUrl).toMatch(new RegExp(`^${provider.origin}/oauth/authorize\\?oauth_token=\\w+$`));
    // §2.1 was signed with the consumer alone, and named Hitch's one callback with the flow's state.
    const requestToken = provider.verified.at(-1)!;
    expect(requestToken.token).toBeUndefined();

    const consented = await fetch(authorizeUrl, { redirect: 'manual' });
    const callbackUrl = new URL(consented.headers.get('location')!);
    expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe(`${PUBLIC_URL}/oauth/callback`);
    expect([...callbackUrl.searchParams.keys()].sort()).toEqual(['oauth_token', 'oauth_verifier', 'state']);

    // Only the person who started it may finish it.
    const stranger = await w.app.inject({ method: 'GET', url: callbackPath(callbackUrl.href) });
    expect(stranger.body).not.toContain('The connection is established.');
    const callback = await w.app.inject({ method: 'GET', url: callbackPath(callbackUrl.href), headers: pageHeaders() });
    expect(callback.statusCode).toBe(200);
    expect(callback.body).toContain('The connection is established.');
    expect(await show(connection.id)).toMatchObject({
      status: 'active',
      auth: 'oauth1',
      account: { id: 'member-7', label: 'ann.oauth1' },
      expiresAt: null,
    });
    // The state is single use.
    const again = await w.app.inject({ method: 'GET', url: callbackPath(callbackUrl.href), headers: pageHeaders() });
    expect(again.body).not.toContain('The connection is established.');

    const verify = await w.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${connection.id}/verify`,
      headers: w.headers,
    });
    expect(verify.json()).toMatchObject({ verified: true });

    // Through the proxy: a query with spaces, `+`, `~`, `*`, non-ASCII and a repeated name, then a form body.
    const get = await proxy(connection.id, '/echo/x?q=a%20b+c&q=%7E*&u=%C3%A9');
    expect(get.statusCode, get.body).toBe(200);
    expect(get.json().parameters).toEqual([
      ['q', 'a b c'],
      ['q', '~*'],
      ['u', 'é'],
    ]);
    const post = await proxy(connection.id, '/echo/cards?x=1', {
      method: 'POST',
      body: 'name=New+card&desc=%E2%9C%93+done',
      type: 'application/x-www-form-urlencoded',
    });
    expect(post.statusCode, post.body).toBe(200);
    expect(post.json().parameters).toEqual([
      ['x', '1'],
      ['name', 'New card'],
      ['desc', '✓ done'],
    ]);

    // Through the module, as a scenario runs it.
    const used: PlacedCredential[] = [];
    const module = httpModules.find((m) => m.id === 'make-oauth1-request')!;
    expect(module.name).toBe('Make an OAuth 1.0 request');
    const outcome = await module.run({
      teamId: w.teamId,
      inputs: { url: '/echo/module', method: 'POST', bodyType: 'form', body: { text: 'from a module' } },
      connectionId: connection.id,
      key: undefined,
      connections: w.connections.client,
      outbound: undefined as never,
      credentialsUsed: (placed) => used.push(...placed),
      sleep: () => Promise.reject(new Error('this module is not asked to wait')),
      grant: undefined,
    });
    expect(outcome.error).toBeUndefined();
    expect(outcome.output).toMatchObject({
      status: 200,
      body: { method: 'POST', parameters: [['text', 'from a module']] },
    });
    expect(used.map((c) => c.in)).toEqual(['signature']);

    // Fifty at once: each signed with its own nonce, none refused as a replay.
    const before = provider.verified.length;
    const burst = await Promise.all(Array.from({ length: 50 }, (_, i) => proxy(connection.id, `/echo/n?i=${i}`)));
    expect(burst.map((r) => r.statusCode)).toEqual(Array.from({ length: 50 }, () => 200));
    const nonces = provider.verified.slice(before).map((v) => v.nonce);
    expect(new Set(nonces).size).toBe(50);

    // A 401 for one resource the token cannot see is the service's answer, not a lost connection.
    provider.forbiddenPaths.add('/1/boards/private');
    expect((await proxy(connection.id, '/boards/private')).statusCode).toBe(401);
    expect((await show(connection.id)).status).toBe('active');

    // The person revokes the token at the service. Fifty callers get the 401; the verify request confirms it once.
    const [token] = [...provider.access.entries()].find(([, issued]) => issued.consumerKey === consumer.key)!;
    provider.access.delete(token);
    const checksBefore = provider.received.filter((r) => r.target.endsWith('/members/me')).length;
    const refused = await Promise.all(Array.from({ length: 50 }, () => proxy(connection.id, '/echo/after')));
    expect(refused.map((r) => r.statusCode)).toEqual(Array.from({ length: 50 }, () => 401));
    expect(provider.received.filter((r) => r.target.endsWith('/members/me')).length).toBe(checksBefore + 1);
    const lost = await show(connection.id);
    expect(lost).toMatchObject({
      status: 'reauthorization_required',
      lastError: {
        code: 'refused',
        message: 'The service no longer accepts this connection (HTTP 401): reauthorize it.',
      },
    });
    const lostEvents = await w.store.db
      .selectFrom('events')
      .select('type')
      .where('type', '=', 'connection.reauthorization_required')
      .execute();
    expect(lostEvents).toHaveLength(1);
    const next = await proxy(connection.id, '/echo/later');
    expect(next.json().error.code).toBe('reauthorization_required');

    // Reauthorizing goes through the three legs again, on the same connection.
    const reauthorize = await w.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${connection.id}/reauthorize`,
      headers: w.headers,
      payload: {},
    });
    expect(reauthorize.statusCode, reauthorize.body).toBe(200);
    const reconsented = await fetch(reauthorize.json().authorizeUrl, { redirect: 'manual' });
    const back = await w.app.inject({
      method: 'GET',
      url: callbackPath(reconsented.headers.get('location')!),
      headers: pageHeaders(),
    });
    expect(back.statusCode).toBe(200);
    expect(await show(connection.id)).toMatchObject({ status: 'active', lastError: null });
    expect((await proxy(connection.id, '/echo/reauthorized')).statusCode).toBe(200);

    const deleted = await w.app.inject({
      method: 'DELETE',
      url: `/api/v1/connections/${connection.id}`,
      headers: w.headers,
    });
    expect(deleted.statusCode).toBe(204);
    expect(await w.store.db.selectFrom('connections').select('id').execute()).toEqual([]);
    const types = (await w.store.db.selectFrom('events').select('type').execute()).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'connection.created',
        'connection.authorized',
        'connection.verified',
        'connection.reauthorization_required',
        'connection.deleted',
      ]),
    );
  });

  it('signs with HMAC-SHA256 and RSA-SHA1 (the private key instead of the secret)', async () => {
    const sha256 = await connect({ signatureMethod: 'HMAC-SHA256' });
    expect((await proxy(sha256, '/echo')).statusCode).toBe(200);
    expect(provider.verified.at(-1)!.signatureMethod).toBe('HMAC-SHA256');

    // Pasted into a one-line field, the key lost its line breaks: Hitch puts them back.
    const rsa = await connect({
      signatureMethod: 'RSA-SHA1',
      consumerSecret: '',
      privateKey: privateKey.replace(/\n/g, ' '),
    });
    expect((await proxy(rsa, '/echo')).statusCode).toBe(200);
    expect(provider.verified.at(-1)!.signatureMethod).toBe('RSA-SHA1');
    expect(await show(rsa)).toMatchObject({ status: 'active', account: { id: 'member-7' } });
  });

  it('refuses what cannot work before anything is saved: PLAINTEXT in clear, a bad key, a wrong secret', async () => {
    const plaintext = await create({ signatureMethod: 'PLAINTEXT' });
    expect(plaintext.statusCode).toBe(400);
    expect(plaintext.json().error.message).toMatch(/PLAINTEXT .* only over https:\/\//);

    const badKey = await create({ signatureMethod: 'RSA-SHA1', privateKey: 'not a key' });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().error.message).toContain('not an RSA private key');

    const wrong = await create({ consumerSecret: 'not the secret' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('oauth_rejected');
    expect(wrong.body).not.toContain('not the secret');
    expect(provider.refusals.at(-1)).toBe('signature_invalid');
    expect(await w.store.db.selectFrom('connections').select('id').execute()).toEqual([]);
  });

  it('leaves the connection pending when the person declines at the service', async () => {
    const created = await create();
    const { connection, authorizeUrl } = created.json<{ connection: { id: string }; authorizeUrl: string }>();
    provider.declineNext();
    const declined = await fetch(authorizeUrl, { redirect: 'manual' });
    const callback = await w.app.inject({
      method: 'GET',
      url: callbackPath(declined.headers.get('location')!),
      headers: pageHeaders(),
    });
    expect(callback.body).not.toContain('The connection is established.');
    expect(callback.body).toContain('Access was not granted');
    expect((await show(connection.id)).status).toBe('pending');
  });
});
