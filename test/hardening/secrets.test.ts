/**
 * Secrets stay in: flows that touch every kind of secret — OAuth tokens issued,
 * renewed and refused (by a service that quotes the request back in its error),
 * the platform's client secret, API keys, Basic passwords, keychain keys, webhook
 * secrets, passwords and API tokens — run with every log line, every HTTP answer
 * and the database's bytes captured; then each secret is searched for in all of
 * it. Zero hits. (test/connections/leak-scan.test.ts does the same for the plain
 * OAuth flows; this adds failures, the other kinds, and the quoting service.)
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, memoryLog } from '../connections/harness.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import { PASSWORD, PUBLIC_URL } from '../http/app.ts';
import { startFaultyService, type FaultyService } from '../peers/faulty-service.ts';
import { startOAuthServer, type OAuthServer } from '../peers/oauth-server.ts';
import { record } from './figures.ts';
import { openHardenedWorld, type HardenedWorld } from './world.ts';
import { maybe } from '../helpers/maybe.ts';

const GIVEN = {
  apiKey: 'hk_live_given-api-key-0123456789',
  basicPassword: 'given-basic-password-0123456789',
  keychainKey: 'keychain-secret-value-0123456789',
  webhookSecret: 'webhook-signing-secret-0123456789',
};

describe('no secret leaves', { timeout: 120_000 }, () => {
  let server: OAuthServer;
  let faulty: FaultyService;
  let w: HardenedWorld;
  const answers: string[] = [];
  const { log, lines } = memoryLog('trace');
  const apiTokens: string[] = [];

  beforeAll(async () => {
    server = await startOAuthServer({ redirectUris: [`${PUBLIC_URL}/oauth/callback`], accessTokenTtlSeconds: 600 });
    faulty = await startFaultyService({ '/token': server.tokenEndpoint, '/me': server.userinfoEndpoint });
    w = await openHardenedWorld(sqliteTestStore, server, {
      log,
      appOverrides: {
        tokenUrl: faulty.url('/token'),
        verify: { url: faulty.url('/me'), accountId: ['sub'], accountLabel: ['email'] },
      },
      beforeReady: (app) =>
        app.addHook('onSend', async (request, reply, payload) => {
          // The one answer meant to carry a secret: a new API token, shown once to its owner.
          if (request.method === 'POST' && request.url === '/api/v1/tokens' && reply.statusCode === 201) return payload;
          answers.push(
            `${JSON.stringify(reply.getHeaders())}\n${typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : ''}`,
          );
          return payload;
        }),
    });
  });
  afterAll(async () => {
    await maybe(w)?.close();
    await maybe(faulty)?.close();
    await maybe(server)?.close();
  });

  const inject = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    payload?: Record<string, unknown>,
    headers = w.headers,
  ) => w.t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const due = async (id: string) => {
    await w.t.store.db
      .updateTable('connections')
      .set({ next_refresh_at: Date.now() - 1, retry_at: null })
      .where('id', '=', id)
      .execute();
    w.t.connections.credentials.cache.clear();
  };

  it('finds none of them in answers, logs, the database file or the web app', async () => {
    // OAuth: authorize, verify, renew, then a refusal that quotes the refresh token and client secret back.
    const { id } = await connect(w);
    await inject('POST', `/api/v1/connections/${id}/verify`);
    await due(id);
    await inject('POST', `/api/v1/connections/${id}/verify`);
    faulty.arm('/token', 'echo_secrets');
    faulty.arm('/me', 'echo_secrets');
    await due(id);
    await inject('POST', `/api/v1/connections/${id}/verify`);
    const shown = await inject('GET', `/api/v1/connections/${id}`);
    expect(shown.json().status).toBe('reauthorization_required');
    faulty.heal();
    const second = await connect(w);
    faulty.arm('/me', 'echo_secrets');
    await inject('POST', `/api/v1/connections/${second.id}/verify`);
    faulty.heal();
    await inject('GET', `/api/v1/events?teamId=${w.teamId}`);
    await inject('GET', `/api/v1/connections?teamId=${w.teamId}`);

    // API key and Basic connections, verified against a service that quotes the request back.
    faulty.arm('/echo', 'echo_secrets');
    await inject('POST', '/api/v1/connections', {
      app: 'http',
      auth: 'apiKey',
      parameters: {
        key: GIVEN.apiKey,
        parameterName: 'Authorization',
        prefix: 'Bearer',
        baseUrl: faulty.url('/api'),
        verifyUri: faulty.url('/echo'),
      },
    });
    await inject('POST', '/api/v1/connections', {
      app: 'http',
      auth: 'basic',
      parameters: {
        username: 'u',
        password: GIVEN.basicPassword,
        baseUrl: faulty.url('/api'),
        verifyUri: faulty.url('/echo'),
      },
    });
    const saved = await inject('POST', '/api/v1/connections', {
      app: 'http',
      auth: 'apiKey',
      parameters: { key: GIVEN.apiKey, parameterName: 'X-Key', baseUrl: faulty.url('/api') },
    });
    expect(saved.statusCode).toBe(201);
    await inject('GET', `/api/v1/connections/${saved.json().connection.id}`);

    // Keychain, webhook, API token.
    const key = await inject('POST', '/api/v1/keys', {
      name: 'k',
      type: 'apiKey',
      parameters: { key: GIVEN.keychainKey, placement: 'header', parameterName: 'X-Key' },
      origins: ['https://api.example.com'],
    });
    if (key.statusCode === 201) await inject('GET', `/api/v1/keys/${key.json().id}`);
    await inject('PUT', `/api/v1/teams/${w.teamId}/webhook`, {
      url: 'https://hooks.example.com/h',
      secret: GIVEN.webhookSecret,
    });
    await inject('GET', `/api/v1/teams/${w.teamId}/webhook`);
    const token = await inject('POST', '/api/v1/tokens', { name: 'scan' });
    apiTokens.push(token.json().token);
    await inject('GET', '/api/v1/me', undefined, { authorization: `Bearer ${apiTokens[0]!}` });
    await inject('GET', '/api/v1/tokens');

    // Let asynchronous writes (events, deliveries) land before the bytes are read.
    await new Promise((r) => setTimeout(r, 200));
    const file = w.t.store.file!;
    const database = [file, `${file}-wal`]
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f).toString('latin1'));
    const client = server.client('client_secret_post');
    const secrets = [
      ...server.issuedSecrets(),
      client.clientSecret,
      ...Object.values(GIVEN),
      PASSWORD,
      ...apiTokens,
    ].filter((s) => s.length >= 12);
    expect(secrets.length).toBeGreaterThan(8);
    const kindOf = (secret: string) =>
      server.issued.accessTokens.includes(secret)
        ? 'access token'
        : server.issued.refreshTokens.includes(secret)
          ? 'refresh token'
          : server.issued.idTokens.includes(secret)
            ? 'id token'
            : server.issued.authorizationCodes.includes(secret)
              ? 'authorization code'
              : secret === client.clientSecret
                ? 'client secret'
                : apiTokens.includes(secret)
                  ? 'API token'
                  : (Object.entries(GIVEN).find(([, v]) => v === secret)?.[0] ?? 'password');
    // The web app as it is served: every built file (npm install builds web/dist; the test command does if missing).
    const webDist = new URL('../../web/dist/', import.meta.url);
    const webFiles = (fs.readdirSync(webDist, { recursive: true }) as string[])
      .map((f) => new URL(f, webDist))
      .filter((u) => fs.statSync(u).isFile());
    expect(webFiles.some((u) => u.pathname.endsWith('.js'))).toBe(true);
    const webApp = webFiles.map((u) => fs.readFileSync(u, 'latin1')).join('\n');
    const places = { answers: answers.join('\n'), logs: lines.join(''), database: database.join('\n'), webApp };
    const hits: string[] = [];
    for (const secret of new Set(secrets)) {
      for (const [where, text] of Object.entries(places)) {
        record('secretsScanned');
        // Also percent- and base64-encoded, as a URL or a Basic header would carry it.
        for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]) {
          const at = text.indexOf(form);
          if (at !== -1)
            hits.push(
              `${where}: ${kindOf(secret)} (${form === secret ? 'plain' : 'encoded'}) in …${text.slice(Math.max(0, at - 120), at).replaceAll(secret, '<secret>')}<secret>…`,
            );
        }
      }
    }
    record('secretHits', hits.length);
    expect(hits).toEqual([]);
    expect(answers.length).toBeGreaterThan(15);
    expect(lines.length).toBeGreaterThan(10);
  });
});
