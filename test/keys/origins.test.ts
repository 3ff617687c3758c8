import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSharedOAuthServer } from '../connections/harness.ts';
import { clientCertificateOf } from '../helpers/origins.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import { makePki, type Pki } from '../helpers/pki.ts';
import { openScenarioWorld, scopedApp, type ScenarioWorld } from '../scenarios/world.ts';

/**
 * Security II §1, keychain origins: an apiKey, basic or certificate key names
 * the origins it may be sent to; a module calling any other origin is refused
 * before the key is placed (the "evil" host sees not even a connection), and
 * new origins need the secret entered again.
 */

interface Recorder {
  origin: string;
  /** TCP connections accepted: the strongest "received nothing". */
  sockets: number;
  requests: Array<{ url: string; headers: http.IncomingHttpHeaders; clientCert: boolean }>;
  close(): Promise<void>;
}

/** A server on `host` that records everything and answers `answer(url)`. */
async function recorder(
  host: string,
  options: { tls?: https.ServerOptions; answer?: (url: string) => unknown } = {},
): Promise<Recorder> {
  const server = options.tls ? https.createServer(options.tls) : http.createServer();
  const rec: Recorder = { origin: '', sockets: 0, requests: [], close: async () => undefined };
  server.on('connection', () => {
    rec.sockets += 1;
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const peer = clientCertificateOf(req.socket);
    rec.requests.push({
      url: req.url ?? '',
      headers: req.headers,
      clientCert: Boolean(peer && Object.keys(peer).length > 0),
    });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(options.answer ? options.answer(req.url ?? '') : { ok: true, path: req.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  rec.origin = `${options.tls ? 'https' : 'http'}://${host}:${(server.address() as AddressInfo).port}`;
  rec.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return rec;
}

describe('keychain origins', () => {
  const API_KEY = 'sk_origin_key_4242424242';
  const PASSWORD = 'origin-basic-password-77';
  let server: OAuthServer;
  let pki: Pki;
  let good: Recorder;
  let evil: Recorder;
  let goodTls: Recorder;
  let evilTls: Recorder;
  let w: ScenarioWorld;
  let pgpPublicKey = '';

  beforeAll(async () => {
    const openpgp = await import('openpgp');
    pgpPublicKey = (
      await openpgp.generateKey({
        type: 'ecc',
        curve: 'curve25519Legacy',
        userIDs: [{ name: 'Hitch', email: 'hitch@example.com' }],
        format: 'armored',
      })
    ).publicKey;
    server = await startSharedOAuthServer();
    pki = makePki();
    evil = await recorder('127.0.0.2');
    // The good service hands out the evil address, as a hostile or compromised API could.
    good = await recorder('127.0.0.1', { answer: (url) => ({ ok: true, path: url, next: `${evil.origin}/collect` }) });
    const tls = {
      key: pki.serverKey,
      cert: pki.serverCert,
      ca: pki.caCert,
      requestCert: true,
      rejectUnauthorized: false,
    };
    goodTls = await recorder('127.0.0.1', { tls });
    evilTls = await recorder('127.0.0.2', { tls });
    // The default network policy, with exactly the two loopback hosts allowed.
    w = await openScenarioWorld(sqliteTestStore, {
      server,
      app: scopedApp(server, good.origin),
      env: { HITCH_ALLOW_PRIVATE_NETWORK: 'false', HITCH_ALLOWED_HOSTS: '127.0.0.1,127.0.0.2' },
    });
  });
  afterAll(async () => {
    await w.close();
    await Promise.all([good.close(), evil.close(), goodTls.close(), evilTls.close(), server.close()]);
    pki.cleanup();
  });

  const parametersOf = (type: string): Record<string, string> =>
    ({
      apiKey: { key: API_KEY, placement: 'header', parameterName: 'x-api-key' },
      basic: { username: 'robot', password: PASSWORD },
      certificate: { certificate: pki.clientCert, privateKey: pki.clientKey },
      aes: { key: '00'.repeat(32) },
      pgp: { publicKey: pgpPublicKey },
    })[type]!;
  const createKey = (type: string, extra: Record<string, unknown> = {}) =>
    w.api('POST', '/api/v1/keys', { name: `${type} key`, type, parameters: parametersOf(type), ...extra });
  const keyRows = async () => (await w.store.db.selectFrom('keys').select('id').execute()).length;
  const keyEvents = async () =>
    (await w.store.db.selectFrom('events').select('id').where('type', 'like', 'key.%').execute()).length;
  const scenario = async (modules: unknown[]) => {
    const created = await w.api('POST', '/api/v1/scenarios', { name: 'Origins', modules });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as string;
  };
  const run = async (id: string) => {
    const res = await w.api('POST', `/api/v1/scenarios/${id}/run`, {});
    return res.body.execution;
  };

  describe('POST /api/v1/keys', () => {
    it.each(['apiKey', 'basic', 'certificate'])(
      'requires origins for a %s key, naming the field, and writes nothing when refused',
      async (type) => {
        const rows = await keyRows();
        const events = await keyEvents();
        for (const origins of [
          undefined,
          [],
          'https://api.example.com',
          [42],
          Array.from({ length: 21 }, (_, i) => `https://h${i}.example.com`),
        ]) {
          const res = await createKey(type, origins === undefined ? {} : { origins });
          expect(res.status, JSON.stringify({ origins, body: res.body })).toBe(400);
          expect(res.body.error.code).toBe('validation_failed');
          expect(res.body.error.field ?? res.body.error.message).toMatch(/origins/);
        }
        expect(await keyRows()).toBe(rows);
        expect(await keyEvents()).toBe(events);
      },
    );

    it('refuses an origin with a path, query, fragment, credentials or another scheme, naming which one', async () => {
      const rows = await keyRows();
      const bad = [
        'https://api.example.com/v1',
        'https://api.example.com/?x=1',
        'https://api.example.com?x=1',
        'https://api.example.com#top',
        'https://user:pass@api.example.com',
        'https://user@api.example.com',
        'ftp://api.example.com',
        'javascript:alert(1)',
        'api.example.com',
        '',
      ];
      for (const origin of bad) {
        const res = await createKey('apiKey', { origins: ['https://fine.example.com', origin] });
        expect(res.status, origin).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'validation_failed', field: 'origins.1' });
      }
      expect(await keyRows()).toBe(rows);
    });

    it('stores origins as URL.origin spells them, and shows them on GET and in the list', async () => {
      const res = await createKey('basic', {
        origins: ['HTTPS://API.Example.COM:443', 'http://127.0.0.1:8080/', 'https://api.example.com'],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.origins).toEqual(['https://api.example.com', 'http://127.0.0.1:8080']);
      expect((await w.api('GET', `/api/v1/keys/${res.body.id}`)).body.origins).toEqual([
        'https://api.example.com',
        'http://127.0.0.1:8080',
      ]);
      const listed = (await w.api('GET', '/api/v1/keys?type=basic')).body.items.find(
        (k: { id: string }) => k.id === res.body.id,
      );
      expect(listed.origins).toEqual(['https://api.example.com', 'http://127.0.0.1:8080']);
    });

    it.each(['aes', 'pgp'])('takes no origins for a %s key', async (type) => {
      const refused = await createKey(type, { origins: ['https://api.example.com'] });
      expect(refused.status).toBe(400);
      expect(refused.body.error.field).toBe('origins');
      const created = await createKey(type);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.origins).toEqual([]);
      const patched = await w.api('PATCH', `/api/v1/keys/${created.body.id}`, { origins: ['https://api.example.com'] });
      expect(patched.status).toBe(400);
      expect(patched.body.error.field).toBe('origins');
    });
  });

  describe('HTTP modules', () => {
    const modules = [
      { type: 'apiKey', module: 'make-api-key-auth-request', good: () => good, evil: () => evil },
      { type: 'basic', module: 'make-basic-auth-request', good: () => good, evil: () => evil },
      { type: 'certificate', module: 'make-client-certificate-request', good: () => goodTls, evil: () => evilTls },
    ] as const;

    it.each(modules)(
      '$module sends its key to its own origin and refuses every other one before placing the key',
      async ({ type, module, good: goodOf, evil: evilOf }) => {
        const g = goodOf();
        const e = evilOf();
        const created = await createKey(type, { origins: [g.origin] });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        const keyId = created.body.id as string;
        const extra = type === 'certificate' ? { caCertificate: pki.caCert } : {};

        // Control: the good origin gets the credential.
        const okRequests = g.requests.length;
        const ok = await run(
          await scenario([{ id: 1, app: 'http', module, keyId, inputs: { url: `${g.origin}/fine`, ...extra } }]),
        );
        expect(ok.status, JSON.stringify(ok.modules)).toBe('success');
        const received = g.requests[okRequests]!;
        if (type === 'apiKey') expect(received.headers['x-api-key']).toBe(API_KEY);
        if (type === 'basic')
          expect(received.headers.authorization).toBe(`Basic ${Buffer.from(`robot:${PASSWORD}`).toString('base64')}`);
        if (type === 'certificate') expect(received.clientCert).toBe(true);

        const goodPort = new URL(g.origin).port;
        const evilPort = new URL(e.origin).port;
        const scheme = new URL(g.origin).protocol;
        const elsewhere = [
          `${e.origin}/collect`,
          // Same host, other port; same host and port, other scheme.
          `${scheme}//127.0.0.1:${evilPort}/collect`,
          `${scheme === 'http:' ? 'https:' : 'http:'}//127.0.0.1:${goodPort}/collect`,
          // The good origin as user info in front of the evil host.
          `${scheme}//127.0.0.1:${goodPort}@127.0.0.2:${evilPort}/collect`,
        ];
        const socketsBefore = e.sockets;
        for (const url of elsewhere) {
          const goodBefore = g.sockets;
          const execution = await run(
            await scenario([{ id: 1, app: 'http', module, keyId, inputs: { url, ...extra } }]),
          );
          expect(execution.status, url).toBe('error');
          const failed = execution.modules[0];
          expect(failed.status).toBe('error');
          expect(failed.error.code).toBe('forbidden');
          expect(failed.error.message).toContain(`may be sent only to ${g.origin}`);
          expect(failed.error.message).toContain(new URL(url).origin);
          // Refused before anything was sent: no connection to the evil host, none to the good one either.
          expect(g.sockets, url).toBe(goodBefore);
        }
        expect(e.sockets).toBe(socketsBefore);
        expect(e.requests).toEqual([]);
      },
    );

    it('refuses a URL mapped at run time from an earlier answer that points elsewhere', async () => {
      const created = await createKey('apiKey', { origins: [good.origin] });
      const execution = await run(
        await scenario([
          { id: 1, app: 'http', module: 'make-request', inputs: { url: `${good.origin}/where` } },
          {
            id: 2,
            app: 'http',
            module: 'make-api-key-auth-request',
            keyId: created.body.id,
            inputs: { url: '{{1.body.next}}' },
          },
        ]),
      );
      expect(execution.modules[0].status).toBe('success');
      expect(execution.modules[1]).toMatchObject({ status: 'error', error: { code: 'forbidden' } });
      expect(execution.modules[1].error.message).toContain(evil.origin);
      expect(evil.sockets).toBe(0);
    });

    it('records no secret in the refused execution', async () => {
      const rows = JSON.stringify(await w.store.db.selectFrom('executions').selectAll().execute());
      for (const secret of [API_KEY, PASSWORD, Buffer.from(`robot:${PASSWORD}`).toString('base64'), 'PRIVATE KEY'])
        expect(rows).not.toContain(secret);
    });
  });

  describe('PATCH /api/v1/keys/:id', () => {
    const secretsOf: Record<string, Record<string, string>> = {
      apiKey: { key: API_KEY },
      basic: { password: PASSWORD },
      certificate: { privateKey: '' },
    };

    it.each(['apiKey', 'basic', 'certificate'])(
      'asks for the %s key’s secret again for a new origin (422 secrets_required), accepts it with the secret, and removes an origin without it',
      async (type) => {
        const created = await createKey(type, { origins: ['https://one.example.com'] });
        const id = created.body.id as string;
        const secret = type === 'certificate' ? { privateKey: pki.clientKey } : secretsOf[type]!;
        const rowBefore = await w.store.db
          .selectFrom('keys')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        const eventsBefore = await keyEvents();

        const nonSecret =
          type === 'apiKey'
            ? { placement: 'query' }
            : type === 'basic'
              ? { username: 'someone-else' }
              : { certificate: pki.clientCert };
        for (const body of [
          { origins: ['https://one.example.com', 'https://two.example.com'] },
          { origins: ['https://two.example.com'] },
          { origins: ['https://one.example.com', 'https://two.example.com'], parameters: nonSecret },
          {
            origins: ['https://one.example.com', 'https://two.example.com'],
            parameters: Object.fromEntries(Object.keys(secret).map((k) => [k, ''])),
          },
          { origins: ['https://one.example.com', 'https://two.example.com'], name: 'renamed too' },
        ]) {
          const res = await w.api('PATCH', `/api/v1/keys/${id}`, body);
          expect(res.status, JSON.stringify({ body, res: res.body })).toBe(422);
          expect(res.body.error.code).toBe('secrets_required');
          expect(res.body.error.message).toMatch(/^[A-Z].*\.$/);
          for (const name of Object.keys(secret)) expect(res.body.error.message).toContain(name);
        }
        expect(await w.store.db.selectFrom('keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).toEqual(
          rowBefore,
        );
        expect(await keyEvents()).toBe(eventsBefore);

        const accepted = await w.api('PATCH', `/api/v1/keys/${id}`, {
          origins: ['https://one.example.com', 'https://two.example.com'],
          parameters: secret,
        });
        expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
        expect(accepted.body.origins).toEqual(['https://one.example.com', 'https://two.example.com']);

        // Fewer places, or the same ones in another order or spelling: no secret needed.
        const same = await w.api('PATCH', `/api/v1/keys/${id}`, {
          origins: ['https://TWO.example.com:443', 'https://one.example.com'],
        });
        expect(same.status, JSON.stringify(same.body)).toBe(200);
        const removed = await w.api('PATCH', `/api/v1/keys/${id}`, { origins: ['https://one.example.com'] });
        expect(removed.status, JSON.stringify(removed.body)).toBe(200);
        expect(removed.body.origins).toEqual(['https://one.example.com']);
        // An emptied list is not a key that goes anywhere.
        expect((await w.api('PATCH', `/api/v1/keys/${id}`, { origins: [] })).status).toBe(400);
      },
    );

    it('asks a certificate key with a passphrase for the passphrase too', async () => {
      const { createPrivateKey } = await import('node:crypto');
      const encrypted = createPrivateKey(pki.clientKey).export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: 'phrase one',
      }) as string;
      const created = await w.api('POST', '/api/v1/keys', {
        name: 'locked cert',
        type: 'certificate',
        parameters: { certificate: pki.clientCert, privateKey: encrypted, passphrase: 'phrase one' },
        origins: [goodTls.origin],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const partial = await w.api('PATCH', `/api/v1/keys/${created.body.id}`, {
        origins: [goodTls.origin, evilTls.origin],
        parameters: { privateKey: encrypted },
      });
      expect(partial.status).toBe(422);
      expect(partial.body.error.message).toContain('passphrase');
    });

    it('sends the key to a newly added origin only after the secret came with it', async () => {
      const created = await createKey('apiKey', { origins: ['https://elsewhere.example.com'] });
      const id = created.body.id as string;
      const scenarioId = await scenario([
        {
          id: 1,
          app: 'http',
          module: 'make-api-key-auth-request',
          keyId: id,
          inputs: { url: `${good.origin}/after-patch` },
        },
      ]);
      expect((await run(scenarioId)).modules[0].error.code).toBe('forbidden');
      expect((await w.api('PATCH', `/api/v1/keys/${id}`, { origins: [good.origin] })).status).toBe(422);
      expect((await run(scenarioId)).modules[0].error.code).toBe('forbidden');
      const before = good.requests.length;
      expect(
        (
          await w.api('PATCH', `/api/v1/keys/${id}`, {
            origins: [good.origin],
            parameters: { key: 'sk_new_key_after_patch' },
          })
        ).status,
      ).toBe(200);
      expect((await run(scenarioId)).status).toBe('success');
      expect(good.requests[before]!.headers['x-api-key']).toBe('sk_new_key_after_patch');
    });
  });
});
