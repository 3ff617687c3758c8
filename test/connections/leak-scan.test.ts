import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, PUBLIC_URL } from '../http/app.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import { callbackPath, connect, memoryLog, openOAuthWorld, startFlow, type OAuthWorld } from './harness.ts';

/**
 * Drives a connection through everything it can go through — create, callback
 * (signed out, then signed in), verify, renewals, failures, reauthorizations,
 * the generic app with a client secret, delete — then proves that no secret
 * the service issued or the person typed appears anywhere Hitch writes.
 */
describe('no secret leaks', () => {
  const idpPasswords = { alice: randomBytes(12).toString('base64url'), bob: randomBytes(12).toString('base64url') };
  const memory = memoryLog('trace');
  const responses: string[] = [];
  /**
   * The signed-out callback page carries the browser's own callback URL (its
   * code included) back to that same browser, in the sign-in form and its 303:
   * by design, so the flow can resume. Those answers may hold that one code only.
   */
  const echoes: Array<{ text: string; code: string }> = [];
  let echoing: string | undefined;
  let w: OAuthWorld;

  beforeAll(async () => {
    w = await openOAuthWorld(sqliteTestStore, {
      log: memory.log,
      server: {
        accounts: [
          { id: 'alice', email: 'alice@example.com', password: idpPasswords.alice, name: 'Alice Example' },
          { id: 'bob', email: 'bob@example.com', password: idpPasswords.bob, name: 'Bob Example' },
        ],
      },
    });
    const original = w.t.app.inject.bind(w.t.app) as (options: InjectOptions) => Promise<LightMyRequestResponse>;
    const recording = async (options: InjectOptions) => {
      const response = await original(options);
      const text = `${response.statusCode} ${JSON.stringify(response.headers)}\n${response.body}`;
      if (echoing) echoes.push({ text, code: echoing });
      else responses.push(text);
      return response;
    };
    (w.t.app as unknown as { inject: typeof recording }).inject = recording;
  });
  afterAll(async () => {
    await w.close();
  });

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
    w.t.app.inject({ method, url, headers: w.headers, ...(payload ? { payload } : {}) });

  async function driveEverything(): Promise<void> {
    // A full flow, signed out first and resumed through the sign-in form.
    const { id, callbackUrl } = await startFlow(w, { scopes: ['read'] });
    const path = callbackPath(callbackUrl);
    echoing = new URL(callbackUrl).searchParams.get('code')!;
    await w.t.app.inject({ method: 'GET', url: path, headers: { host: new URL(PUBLIC_URL).host } });
    const signIn = await w.t.app.inject({
      method: 'POST',
      url: '/oauth/sign-in',
      headers: { origin: PUBLIC_URL, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: w.user.user.email, password: PASSWORD, next: path }).toString(),
    });
    echoing = undefined;
    expect(signIn.statusCode).toBe(303);
    const cookie = signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    expect(
      (await w.t.app.inject({ method: 'GET', url: path, headers: { cookie, host: new URL(PUBLIC_URL).host } }))
        .statusCode,
    ).toBe(200);
    // A wrong password on the same form: the form comes back, with the same code to resume.
    echoing = new URL(callbackUrl).searchParams.get('code')!;
    await w.t.app.inject({
      method: 'POST',
      url: '/oauth/sign-in',
      headers: { origin: PUBLIC_URL, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: w.user.user.email, password: `${PASSWORD}!`, next: path }).toString(),
    });
    echoing = undefined;

    await api('GET', `/api/v1/connections/${id}`);
    await api('GET', '/api/v1/connections');
    await api('POST', `/api/v1/connections/${id}/verify`);
    await api('PATCH', `/api/v1/connections/${id}`, { name: 'Renamed' });

    // Renewals: forced, failing transiently, and succeeding.
    const creds = await w.t.connections.credentials.get(id);
    await w.t.connections.credentials.get(id, { staleVersion: creds.version });
    await w.t.store.db
      .updateTable('connections')
      .set({ next_refresh_at: Date.now() - 1 })
      .where('id', '=', id)
      .execute();
    w.server.failNextTokenRequests(1, 503);
    w.t.connections.credentials.cache.clear();
    await w.t.connections.credentials.get(id);
    await api('GET', `/api/v1/connections/${id}`);
    await w.t.store.db
      .updateTable('connections')
      .set({ retry_at: Date.now() - 1 })
      .where('id', '=', id)
      .execute();
    await w.t.connections.sweep();

    // Reauthorizations: added scope, denied, another account, a tampered code.
    const more = await api('POST', `/api/v1/connections/${id}/reauthorize`, { scopes: ['write'] });
    const added = await w.server.authorize(more.json().authorizeUrl, { login: 'alice@example.com', consent: true });
    await w.t.app.inject({ method: 'GET', url: callbackPath(added.callbackUrl), headers: w.pageHeaders });
    const deny = await api('POST', `/api/v1/connections/${id}/reauthorize`, {});
    const denied = await w.server.authorize(deny.json().authorizeUrl, { login: 'alice@example.com', consent: 'deny' });
    await w.t.app.inject({ method: 'GET', url: callbackPath(denied.callbackUrl), headers: w.pageHeaders });
    const switchTo = await api('POST', `/api/v1/connections/${id}/reauthorize`, {});
    const bob = await w.server.authorize(switchTo.json().authorizeUrl, { login: 'bob@example.com', consent: true });
    expect(
      (await w.t.app.inject({ method: 'GET', url: callbackPath(bob.callbackUrl), headers: w.pageHeaders })).statusCode,
    ).toBe(409);
    const tamper = await startFlow(w);
    const tampered = new URL(tamper.callbackUrl);
    tampered.searchParams.set('code', `${tampered.searchParams.get('code')}x`);
    await w.t.app.inject({ method: 'GET', url: callbackPath(tampered.href), headers: w.pageHeaders });

    // The generic app with a client secret typed by the person, then a grant revoked at the service.
    const basic = w.server.client('client_secret_basic');
    const generic = await api('POST', '/api/v1/connections', {
      app: 'http',
      scopes: ['openid', 'email'],
      parameters: {
        authorizeUri: w.server.authorizationEndpoint,
        tokenUri: w.server.tokenEndpoint,
        verifyUri: w.server.userinfoEndpoint,
        revokeUri: w.server.revocationEndpoint,
        clientId: basic.clientId,
        clientSecret: basic.clientSecret,
        clientAuth: 'client_secret_basic',
      },
    });
    const genericCb = await w.server.authorize(generic.json().authorizeUrl, {
      login: 'alice@example.com',
      consent: true,
    });
    await w.t.app.inject({ method: 'GET', url: callbackPath(genericCb.callbackUrl), headers: w.pageHeaders });
    const genericId = generic.json().connection.id as string;
    await api('POST', `/api/v1/connections/${genericId}/verify`);

    const doomed = await connect(w, {}, { login: 'bob@example.com' });
    await w.server.revoke('bob');
    const doomedCreds = await w.t.connections.credentials.get(doomed.id);
    await w.t.connections.credentials.get(doomed.id, { staleVersion: doomedCreds.version }).catch(() => undefined);
    await api('POST', `/api/v1/connections/${doomed.id}/verify`);

    await api('DELETE', `/api/v1/connections/${id}`);
    await api('GET', '/api/v1/connections');
  }

  it('keeps every issued token, code, client secret and password out of responses, logs, events and the database file', async () => {
    await driveEverything();

    const secrets = [...w.server.issuedSecrets(), PASSWORD, idpPasswords.alice, idpPasswords.bob];
    expect(w.server.issued.refreshTokens.length).toBeGreaterThanOrEqual(5);
    expect(w.server.issued.authorizationCodes.length).toBeGreaterThanOrEqual(5);
    for (const secret of secrets) expect(secret.length).toBeGreaterThanOrEqual(16);

    const events = await w.t.store.db.selectFrom('events').selectAll().execute();
    expect(events.length).toBeGreaterThan(10);
    const file = w.t.store.file!;
    const databaseBytes = [
      fs.readFileSync(file),
      ...(fs.existsSync(`${file}-wal`) ? [fs.readFileSync(`${file}-wal`)] : []),
    ];
    expect(memory.lines.length).toBeGreaterThan(10);
    expect(responses.length).toBeGreaterThan(20);

    expect(echoes).toHaveLength(3);
    for (const echo of echoes) {
      for (const secret of secrets)
        if (secret !== echo.code) expect(echo.text.includes(secret), 'sign-in page').toBe(false);
    }

    const places: Array<[string, string | Buffer]> = [
      ['API responses', responses.join('\n')],
      ['log output', memory.lines.join('')],
      ['events table', JSON.stringify(events)],
      ...databaseBytes.map((bytes, i): [string, Buffer] => [i === 0 ? 'SQLite file' : 'SQLite WAL', bytes]),
    ];
    const found: string[] = [];
    for (const [where, content] of places) {
      for (const secret of secrets) {
        if (content.includes(secret)) found.push(`${where} contains ${secret.slice(0, 6)}…`);
      }
    }
    expect(found).toEqual([]);
  });
});
