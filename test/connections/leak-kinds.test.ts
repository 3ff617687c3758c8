import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_URL } from '../http/app.ts';
import { dialects, sqliteTestStore } from '../helpers/store.ts';
import { startOAuth1Provider, type OAuth1Provider } from '../peers/oauth1-provider.ts';
import { startGitHubAppServer, type GitHubAppServer } from '../peers/github-app-server.ts';
import { startJwtBearerServer, type JwtBearerServer } from '../peers/jwt-bearer-server.ts';
import { startSessionService } from '../peers/session-service.ts';
import { callbackPath, memoryLog } from './harness.ts';
import { consentApp, installApp, keyPair } from './jwt-apps.ts';
import {
  cookieSessionApp,
  keyApps,
  openKindsWorld,
  serviceHandler,
  startServer,
  type Accepted,
} from './kinds-harness.ts';

describe.each(dialects)('API keys and passwords stay secret on $name', ({ open }) => {
  const accepted: Accepted = {
    apiKey: 'leak-key-A1B2C3D4E5',
    trelloKey: 'leak-trello-key-F6G7',
    trelloToken: 'leak-trello-token-H8I9',
    username: 'ann',
    password: 'leak-password-J0K1',
  };
  let service: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    service = await startServer(serviceHandler(accepted, []));
  });
  afterAll(async () => {
    await service.close();
  });

  it('keeps keys and passwords out of responses, logs (at trace) and events', async () => {
    const { log, lines } = memoryLog('trace');
    const w = await openKindsWorld(open, keyApps(service.url), { log });
    const bodies: string[] = [];
    const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers = w.headers) => {
      const res = await w.app.inject({
        method,
        url,
        headers,
        ...(payload ? { payload: payload as Record<string, unknown> } : {}),
      });
      bodies.push(res.body, JSON.stringify(res.headers));
      return res;
    };
    try {
      const ids: string[] = [];
      for (const [app, parameters] of [
        ['keyed', { apiKey: accepted.apiKey }],
        ['trelloish', { key: accepted.trelloKey, token: accepted.trelloToken }],
        ['basicish', { username: 'ann', password: accepted.password }],
      ] as const) {
        await call('POST', '/api/v1/connections', { app, parameters }).then((r) => ids.push(r.json().connection.id));
      }
      for (const id of ids) {
        await call('GET', `/api/v1/connections/${id}/proxy/echo?x=1`, undefined, w.bearer);
        await call('POST', `/api/v1/connections/${id}/verify`);
        await call('GET', `/api/v1/connections/${id}`);
      }
      await call('POST', `/api/v1/connections/${ids[0]}/reauthorize`, {
        parameters: { apiKey: 'wrong-leak-key-ZZZZ' },
      });
      await call('GET', '/api/v1/connections');
      await call('GET', '/api/v1/events');
      const events = JSON.stringify(await w.store.db.selectFrom('events').selectAll().execute());
      const basic = Buffer.from(`ann:${accepted.password}`).toString('base64');
      for (const secret of [
        accepted.apiKey,
        accepted.trelloKey,
        accepted.trelloToken,
        accepted.password,
        basic,
        'wrong-leak-key-ZZZZ',
      ]) {
        // The proxy's echo answer is the service's own body, which repeats what it received: not Hitch's to hide.
        expect(bodies.filter((b) => !b.includes('"who"')).join('\n'), 'responses').not.toContain(secret);
        expect(lines.join('\n'), 'logs').not.toContain(secret);
        expect(events, 'events').not.toContain(secret);
      }
      expect(lines.length).toBeGreaterThan(10);
    } finally {
      await w.close();
    }
  });
});

describe('OAuth 1.0a secrets stay secret', () => {
  const consumerSecret = 'leak-consumer-secret-Q1W2E3';
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  let provider: OAuth1Provider;
  beforeAll(async () => {
    provider = await startOAuth1Provider({ consumers: { 'leak-consumer': { secret: consumerSecret, publicKey } } });
  });
  afterAll(async () => {
    await provider.close();
  });

  it('keeps the consumer secret, private key, tokens and token secrets out of responses, logs, events and the database file', async () => {
    const { log, lines } = memoryLog('trace');
    const w = await openKindsWorld(sqliteTestStore, [], { log });
    const bodies: string[] = [];
    const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, headers = w.headers) => {
      const res = await w.app.inject({
        method,
        url,
        headers,
        ...(payload ? { payload: payload as Record<string, unknown> } : {}),
      });
      bodies.push(res.body, JSON.stringify(res.headers));
      return res;
    };
    const parameters = {
      requestTokenUri: `${provider.origin}/oauth/request_token`,
      authorizeUri: `${provider.origin}/oauth/authorize`,
      accessTokenUri: `${provider.origin}/oauth/access_token`,
      consumerKey: 'leak-consumer',
      baseUrl: `${provider.origin}/1`,
      verifyUri: `${provider.origin}/1/members/me`,
    };
    try {
      const ids: string[] = [];
      for (const extra of [
        { consumerSecret, signatureMethod: 'HMAC-SHA1' },
        { signatureMethod: 'RSA-SHA1', privateKey },
      ]) {
        const created = await call('POST', '/api/v1/connections', {
          app: 'http',
          auth: 'oauth1',
          parameters: { ...parameters, ...extra },
        });
        const { connection, authorizeUrl } = created.json<{ connection: { id: string }; authorizeUrl: string }>();
        const consented = await fetch(authorizeUrl, { redirect: 'manual' });
        await call('GET', callbackPath(consented.headers.get('location')!), undefined, {
          cookie: w.cookie,
          host: new URL(PUBLIC_URL).host,
        });
        ids.push(connection.id);
      }
      await call('POST', '/api/v1/connections', {
        app: 'http',
        auth: 'oauth1',
        parameters: { ...parameters, consumerSecret: 'leak-wrong-secret-R4T5' },
      });
      for (const id of ids) {
        await call('GET', `/api/v1/connections/${id}/proxy/echo?x=1`, undefined, w.bearer);
        await call('POST', `/api/v1/connections/${id}/verify`);
        await call('GET', `/api/v1/connections/${id}`);
      }
      const tokens = [...provider.access.entries()];
      expect(tokens.length).toBe(2);
      for (const [token] of tokens) provider.access.delete(token);
      await call('GET', `/api/v1/connections/${ids[0]}/proxy/echo`, undefined, w.bearer);
      await call('POST', `/api/v1/connections/${ids[1]}/verify`);
      await call('GET', '/api/v1/connections');
      await call('GET', '/api/v1/events');
      await call('DELETE', `/api/v1/connections/${ids[0]}`);
      const events = JSON.stringify(await w.store.db.selectFrom('events').selectAll().execute());
      const file = [
        fs.readFileSync(w.store.file!),
        ...(fs.existsSync(`${w.store.file!}-wal`) ? [fs.readFileSync(`${w.store.file!}-wal`)] : []),
      ];
      const keyLine = privateKey.split('\n')[5]!;
      const secrets = [
        consumerSecret,
        'leak-wrong-secret-R4T5',
        keyLine,
        ...tokens.flatMap(([token, issued]) => [token, issued.secret]),
        ...provider.temporarySecrets,
      ];
      expect(provider.temporarySecrets.length).toBe(2);
      for (const secret of secrets) {
        for (const form of [secret, encodeURIComponent(secret)]) {
          expect(bodies.join('\n'), `responses: ${secret}`).not.toContain(form);
          expect(lines.join('\n'), `logs: ${secret}`).not.toContain(form);
          expect(events, `events: ${secret}`).not.toContain(form);
          for (const bytes of file) expect(bytes.includes(form), `database file: ${secret}`).toBe(false);
        }
      }
      expect(lines.length).toBeGreaterThan(10);
    } finally {
      await w.close();
    }
  });
});

describe.each(dialects)('session logins stay secret on $name', ({ open }) => {
  it('keeps the password, session cookies and CSRF tokens out of responses, logs (at trace), events and executions', async () => {
    const service = await startSessionService({ ttlSeconds: 600 });
    const password = 'leak-session-password-Q7';
    service.users.set('cy', password);
    const app = cookieSessionApp('leaky', service.url, {
      modules: [{ id: 'echo', name: 'Echo', request: { method: 'POST', url: '/echo', body: { a: 1 } } }],
    });
    const { log, lines } = memoryLog('trace');
    const w = await openKindsWorld(open, [app], { log, scenarios: true });
    const bodies: string[] = [];
    const call = async (method: 'GET' | 'POST', url: string, payload?: unknown, headers = w.headers) => {
      const res = await w.app.inject({
        method,
        url,
        headers,
        ...(payload ? { payload: payload as Record<string, unknown> } : {}),
      });
      bodies.push(res.body, JSON.stringify(res.headers));
      return res;
    };
    try {
      await call('POST', '/api/v1/connections', {
        app: 'leaky',
        parameters: { username: 'cy', password: 'wrong-leak-pw-99' },
      });
      const { connection } = (
        await call('POST', '/api/v1/connections', { app: 'leaky', parameters: { username: 'cy', password } })
      ).json();
      await call('POST', `/api/v1/connections/${connection.id}/verify`);
      service.expireAll();
      await call('GET', `/api/v1/connections/${connection.id}/proxy/things`, undefined, w.bearer);
      const scenario = (
        await call('POST', '/api/v1/scenarios', {
          name: 'Echo',
          modules: [{ id: 1, app: 'leaky', module: 'echo', connectionId: connection.id, inputs: {} }],
        })
      ).json();
      const run = await call('POST', `/api/v1/scenarios/${scenario.id}/run`, {});
      expect(run.json().execution.status).toBe('success');
      await call('GET', `/api/v1/connections/${connection.id}`);
      await call('GET', '/api/v1/events');
      const events = JSON.stringify(await w.store.db.selectFrom('events').selectAll().execute());
      const executions = JSON.stringify(await w.store.db.selectFrom('executions').selectAll().execute());
      expect(service.issued.length).toBeGreaterThanOrEqual(4);
      for (const secret of [password, 'wrong-leak-pw-99', ...service.issued]) {
        expect(bodies.join('\n'), 'responses').not.toContain(secret);
        expect(lines.join('\n'), 'logs').not.toContain(secret);
        expect(events, 'events').not.toContain(secret);
        expect(executions, 'executions').not.toContain(secret);
      }
      expect(lines.length).toBeGreaterThan(10);
    } finally {
      await w.close();
      await service.close();
    }
  });
});

describe.each(dialects)('JWT keys, assertions and installation tokens stay secret on $name', ({ open }) => {
  const key = keyPair('rsa');
  const appKey = keyPair('rsa');
  let server: JwtBearerServer;
  let github: GitHubAppServer;
  beforeAll(async () => {
    server = await startJwtBearerServer();
    server.register('integration-key-1', { key: key.publicKey, algorithm: 'RS256' });
    github = await startGitHubAppServer({ publicKey: appKey.publicKey, callbackUrl: `${PUBLIC_URL}/oauth/callback` });
  });
  afterAll(async () => {
    await Promise.all([server.close(), github.close()]);
  });

  it('keeps private keys, assertions, app JWTs and tokens out of responses, logs (at trace) and events', async () => {
    const { log, lines } = memoryLog('trace');
    const w = await openKindsWorld(open, [consentApp(server), installApp(github)], {
      log,
      env: {
        HITCH_APP_HUBBISH_APP_SLUG: github.slug,
        HITCH_APP_HUBBISH_APP_CLIENT_ID: github.clientId,
        HITCH_APP_HUBBISH_APP_CLIENT_SECRET: github.clientSecret,
        HITCH_APP_HUBBISH_APP_PRIVATE_KEY: appKey.pem,
      },
    });
    const bodies: string[] = [];
    const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, headers = w.headers) => {
      const res = await w.app.inject({
        method,
        url,
        headers,
        ...(payload ? { payload: payload as Record<string, unknown> } : {}),
      });
      bodies.push(res.body, JSON.stringify(res.headers));
      return res;
    };
    try {
      const parameters = { integrationKey: 'integration-key-1', userId: 'user-guid-1', privateKey: key.pem };
      // A refusal quoting what was sent, then an accepted key, used, renewed and verified.
      server.requireConsent('user-guid-1');
      await call('POST', '/api/v1/connections', { app: 'signish', parameters });
      server.consent('user-guid-1');
      const signed = (await call('POST', '/api/v1/connections', { app: 'signish', parameters })).json().connection.id;
      await call('GET', `/api/v1/connections/${signed}/proxy/x`, undefined, w.bearer);
      await w.connections.renewal.renew(signed, { staleVersion: Number.MAX_SAFE_INTEGER });
      await call('POST', `/api/v1/connections/${signed}/verify`);

      const { connection, authorizeUrl } = (await call('POST', '/api/v1/connections', { app: 'hubbish' })).json();
      const installed = await fetch(authorizeUrl, { redirect: 'manual' });
      const page = await w.app.inject({
        method: 'GET',
        url: callbackPath(installed.headers.get('location')!),
        headers: { cookie: w.cookie, host: new URL(PUBLIC_URL).host },
      });
      bodies.push(page.body);
      await call('GET', `/api/v1/connections/${connection.id}/proxy/installation/repositories`, undefined, w.bearer);
      await w.connections.renewal.renew(connection.id, { staleVersion: Number.MAX_SAFE_INTEGER });
      await call('GET', '/api/v1/connections');
      await call('GET', '/api/v1/events');
      await call('DELETE', `/api/v1/connections/${connection.id}`);

      const events = JSON.stringify(await w.store.db.selectFrom('events').selectAll().execute());
      const pemBody = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----'));
      const secrets = [
        key.pem,
        ...pemBody(key.pem),
        appKey.pem,
        ...pemBody(appKey.pem),
        github.clientSecret,
        ...server.seen.assertions,
        ...server.seen.accessTokens,
        ...github.appJwts.map((j) => j.jwt),
        ...github.userTokens,
        ...github.issued.keys(),
      ];
      expect(server.seen.accessTokens.length).toBeGreaterThanOrEqual(2);
      expect(github.issued.size).toBe(2);
      for (const secret of secrets) {
        expect(bodies.join('\n'), 'responses').not.toContain(secret);
        expect(lines.join('\n'), 'logs').not.toContain(secret);
        expect(events, 'events').not.toContain(secret);
      }
      expect(lines.length).toBeGreaterThan(10);
    } finally {
      await w.close();
    }
  });
});
