import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/store.ts';
import { APP_ID, callbackPath, connect, getConnection, openOAuthWorld, type OAuthWorld } from './harness.ts';
import { placedValue } from '../helpers/placed.ts';

describe.each(dialects)('OAuth connection flow on $name', ({ open }) => {
  let w: OAuthWorld;
  beforeEach(async () => {
    w = await openOAuthWorld(open);
  });
  afterEach(async () => {
    await w.close();
  });

  it('creates a pending connection with the default name and an authorize URL asking only the needed scopes', async () => {
    const res = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: { app: APP_ID, scopes: ['read'] },
    });
    expect(res.statusCode).toBe(201);
    const { connection, authorizeUrl } = res.json();
    expect(connection.name).toBe('My Test IdP connection');
    expect(connection.status).toBe('pending');
    const url = new URL(authorizeUrl);
    expect(url.origin + url.pathname).toBe(w.server.authorizationEndpoint);
    expect(url.searchParams.get('scope')!.split(' ').sort()).toEqual(['email', 'openid', 'read']);
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:8080/oauth/callback');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')!.length).toBeGreaterThanOrEqual(43);
  });

  it('completes the redirect flow: tokens stored, account labelled, permissions described, connection active', async () => {
    const { id, callbackStatus, callbackBody } = await connect(w, { scopes: ['read'], name: 'Alice at IdP' });
    expect(callbackStatus).toBe(200);
    expect(callbackBody).toContain('The connection is established.');
    const { body } = await getConnection(w, id);
    expect(body.status).toBe('active');
    expect(body.name).toBe('Alice at IdP');
    expect(body.account).toEqual({ id: 'alice', label: 'alice@example.com' });
    expect(body.scopes.sort()).toEqual(['email', 'openid', 'read']);
    expect(body.permissions).toContainEqual({ scope: 'read', description: 'Read your data' });
    expect(body.expiresAt).not.toBeNull();
    expect(body.usedBy).toEqual([]);
    expect(w.server.grants.authorization_code).toBe(1);
  });

  it('verifies, and renews an expired token before verifying', async () => {
    const { id } = await connect(w);
    const first = await w.t.app.inject({ method: 'POST', url: `/api/v1/connections/${id}/verify`, headers: w.headers });
    expect(first.json()).toMatchObject({ verified: true, connection: { status: 'active' } });
    expect(w.server.grants.refresh_token).toBe(0);
    await new Promise((r) => setTimeout(r, w.server.accessTokenTtlSeconds * 1000 + 200));
    const second = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${id}/verify`,
      headers: w.headers,
    });
    expect(second.json()).toMatchObject({ verified: true });
    expect(w.server.grants.refresh_token).toBe(1);
    expect(w.server.grants.invalid_grant).toBe(0);
  });

  it('lets 50 concurrent callers on an expired token cause exactly one refresh', async () => {
    const { id } = await connect(w);
    await new Promise((r) => setTimeout(r, w.server.accessTokenTtlSeconds * 1000 + 200));
    w.t.connections.credentials.cache.clear();
    const results = await Promise.all(Array.from({ length: 50 }, () => w.t.connections.credentials.get(id)));
    expect(new Set(results.map((r) => placedValue(r.placed))).size).toBe(1);
    expect(w.server.grants.refresh_token).toBe(1);
    expect(w.server.grants.invalid_grant).toBe(0);
  });

  it('renews through the sweep with no traffic at all', async () => {
    const { id } = await connect(w);
    const before = (await getConnection(w, id)).body.expiresAt;
    // The lead is half the 3-second lifetime: due after 1.5 s.
    await new Promise((r) => setTimeout(r, 1700));
    const result = await w.t.connections.sweep();
    expect(result).toEqual({ renewed: 1, failed: 0 });
    expect(w.server.grants.refresh_token).toBe(1);
    const after = (await getConnection(w, id)).body;
    expect(after.status).toBe('active');
    expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.parse(before));
  });

  it('reauthorizes the same id with the union of scopes', async () => {
    const { id } = await connect(w, { scopes: ['read'] });
    const res = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${id}/reauthorize`,
      headers: w.headers,
      payload: { scopes: ['write'] },
    });
    expect(res.statusCode).toBe(200);
    const url = new URL(res.json().authorizeUrl);
    expect(url.searchParams.get('scope')!.split(' ').sort()).toEqual(['email', 'openid', 'read', 'write']);
    const { callbackUrl } = await w.server.authorize(url, { login: 'alice@example.com', consent: true });
    const cb = await w.t.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w.pageHeaders });
    expect(cb.statusCode).toBe(200);
    const { body } = await getConnection(w, id);
    expect(body.scopes.sort()).toEqual(['email', 'openid', 'read', 'write']);
    expect(body.status).toBe('active');
  });

  it('leaves a working connection working when a reauthorization is denied', async () => {
    const { id } = await connect(w, { scopes: ['read'] });
    const res = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${id}/reauthorize`,
      headers: w.headers,
      payload: { scopes: ['admin'] },
    });
    const { callbackUrl } = await w.server.authorize(res.json().authorizeUrl, {
      login: 'alice@example.com',
      consent: 'deny',
    });
    const cb = await w.t.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w.pageHeaders });
    expect(cb.statusCode).toBe(400);
    expect(cb.body).toContain('Access was not granted');
    const { body } = await getConnection(w, id);
    expect(body.status).toBe('active');
    expect(body.scopes).not.toContain('admin');
    const verify = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${id}/verify`,
      headers: w.headers,
    });
    expect(verify.json().verified).toBe(true);
  });

  it('refuses a reauthorization that signs in to another account, unless asked for', async () => {
    const { id } = await connect(w);
    const res = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${id}/reauthorize`,
      headers: w.headers,
      payload: {},
    });
    const { callbackUrl } = await w.server.authorize(res.json().authorizeUrl, {
      login: 'bob@example.com',
      consent: true,
    });
    const cb = await w.t.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w.pageHeaders });
    expect(cb.statusCode).toBe(409);
    expect((await getConnection(w, id)).body.account.label).toBe('alice@example.com');

    const again = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${id}/reauthorize`,
      headers: w.headers,
      payload: { allowAccountChange: true },
    });
    const second = await w.server.authorize(again.json().authorizeUrl, { login: 'bob@example.com', consent: true });
    const ok = await w.t.app.inject({ method: 'GET', url: callbackPath(second.callbackUrl), headers: w.pageHeaders });
    expect(ok.statusCode).toBe(200);
    expect((await getConnection(w, id)).body.account.label).toBe('bob@example.com');
  });

  it('marks the connection reauthorization_required once the grant is revoked at the service', async () => {
    const { id } = await connect(w);
    await w.server.revoke('alice');
    await new Promise((r) => setTimeout(r, w.server.accessTokenTtlSeconds * 1000 + 200));
    const verify = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/connections/${id}/verify`,
      headers: w.headers,
    });
    expect(verify.json().verified).toBe(false);
    const { body } = await getConnection(w, id);
    expect(body.status).toBe('reauthorization_required');
    expect(body.lastError.message).toMatch(/reauthorize/);
  });

  it('deletes: revokes at the service and removes the secrets', async () => {
    const { id } = await connect(w);
    const res = await w.t.app.inject({ method: 'DELETE', url: `/api/v1/connections/${id}`, headers: w.headers });
    expect(res.statusCode).toBe(204);
    expect(w.server.revocations.length).toBe(1);
    expect((await getConnection(w, id)).status).toBe(404);
    const row = await w.t.store.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
    expect(row).toBeUndefined();
  });
});
