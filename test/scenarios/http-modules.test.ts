import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLog, startSharedOAuthServer } from '../connections/harness.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import { makePki, type Pki } from '../helpers/pki.ts';
import { startApiKeyService, startBasicService, startMutualTlsService, type Peer } from './peers.ts';
import { openScenarioWorld, scopedApp, type ScenarioWorld } from './world.ts';

/** The HTTP app's modules with keys from the keychain, against real local services. */
describe('HTTP modules with keychain keys', () => {
  const API_KEY = 'sk_live_apikey_0123456789';
  const PASSWORD = 'basic-password-9876';
  let server: OAuthServer;
  let apiKeyService: Peer;
  let basicService: Peer;
  let tlsService: Peer;
  let pki: Pki;
  let w: ScenarioWorld;
  const logs = memoryLog('debug');

  beforeAll(async () => {
    server = await startSharedOAuthServer();
    apiKeyService = await startApiKeyService(API_KEY);
    basicService = await startBasicService('robot', PASSWORD);
    pki = makePki();
    tlsService = await startMutualTlsService(pki);
    w = await openScenarioWorld(sqliteTestStore, {
      server,
      app: scopedApp(server, apiKeyService.origin),
      log: logs.log,
    });
  });
  afterAll(async () => {
    await w.close();
    await Promise.all([apiKeyService.close(), basicService.close(), tlsService.close(), server.close()]);
    pki.cleanup();
  });

  const key = async (type: string, parameters: Record<string, string>, name = `${type} key`) => {
    // Keys that go on requests name where they may go (Security II); these may reach every peer of the test.
    const origins = ['apiKey', 'basic', 'certificate'].includes(type)
      ? { origins: [apiKeyService.origin, basicService.origin, tlsService.origin] }
      : {};
    const created = await w.api('POST', '/api/v1/keys', { name, type, parameters, ...origins });
    if (created.status !== 201) throw new Error(`key failed: ${created.status} ${JSON.stringify(created.body)}`);
    return created.body.id as string;
  };
  const scenario = async (modules: unknown[]) => {
    const created = await w.api('POST', '/api/v1/scenarios', { name: 'HTTP', modules });
    if (created.status !== 201) throw new Error(`scenario failed: ${created.status} ${JSON.stringify(created.body)}`);
    return created.body.id as string;
  };
  const run = async (id: string) => (await w.api('POST', `/api/v1/scenarios/${id}/run`, {})).body.execution;

  it('sends an API key and maps its answer into a Basic Auth request', async () => {
    const apiKey = await key('apiKey', { key: API_KEY, placement: 'header', parameterName: 'x-api-key' });
    const basic = await key('basic', { username: 'robot', password: PASSWORD });
    const id = await scenario([
      {
        id: 1,
        app: 'http',
        module: 'make-api-key-auth-request',
        keyId: apiKey,
        inputs: { url: `${apiKeyService.origin}/items`, query: { page: '1' } },
      },
      {
        id: 2,
        app: 'http',
        module: 'make-basic-auth-request',
        keyId: basic,
        inputs: {
          url: `${basicService.origin}/things`,
          method: 'POST',
          body: { name: '{{1.body.items[0].name}}', id: '{{1.body.items[0].id}}' },
        },
      },
    ]);
    const execution = await run(id);
    expect(execution.status).toBe('success');
    expect(execution.modules[0]).toMatchObject({
      status: 'success',
      output: { status: 200, body: { path: '/items?page=1' } },
      request: { method: 'GET', url: `${apiKeyService.origin}/items?page=1` },
    });
    expect(execution.modules[1].output.body).toEqual({ user: 'robot', got: { name: 'first item', id: 41 } });
    expect(basicService.received.at(-1)!.headers['content-type']).toBe('application/json');

    // Editing a key changes what every module using it sends.
    expect((await w.api('PATCH', `/api/v1/keys/${apiKey}`, { parameters: { key: 'revoked-key-000' } })).status).toBe(
      200,
    );
    const after = await run(id);
    expect(after.status).toBe('error');
    expect(after.modules.map((m: { status: string }) => m.status)).toEqual(['error', 'skipped']);
    expect(after.modules[0]).toMatchObject({ error: { code: 'module_request_failed' }, output: { status: 401 } });
  });

  it('places an API key in the query string without recording it', async () => {
    const queryKey = await key('apiKey', { key: 'query-secret-abcdef', placement: 'query', parameterName: 'token_x' });
    const id = await scenario([
      {
        id: 1,
        app: 'http',
        module: 'make-api-key-auth-request',
        keyId: queryKey,
        inputs: { url: `${apiKeyService.origin}/q?x=1` },
      },
    ]);
    const execution = await run(id);
    expect(apiKeyService.received.at(-1)!.url).toBe('/q?x=1&token_x=query-secret-abcdef');
    expect(execution.modules[0].request.url).toBe(`${apiKeyService.origin}/q?x=1`);
    expect(JSON.stringify(execution)).not.toContain('query-secret-abcdef');
  });

  it('presents a client certificate to a mutual-TLS service', async () => {
    const certificate = await key('certificate', { certificate: pki.clientCert, privateKey: pki.clientKey });
    const id = await scenario([
      {
        id: 1,
        app: 'http',
        module: 'make-client-certificate-request',
        keyId: certificate,
        inputs: { url: `${tlsService.origin}/hello`, caCertificate: pki.caCert },
      },
    ]);
    const execution = await run(id);
    expect(execution.status).toBe('success');
    expect(execution.modules[0].output.body).toEqual({ hello: 'hitch-client' });

    // Without a certificate the service refuses the handshake.
    const plain = await scenario([
      { id: 1, app: 'http', module: 'make-request', inputs: { url: `${tlsService.origin}/hello` } },
    ]);
    const refused = await run(plain);
    expect(refused.status).toBe('error');
    expect(refused.modules[0].error.code).toBe('upstream_unreachable');
  });

  it('encrypts and decrypts with AES and PGP keys', async () => {
    const aes = await key('aes', { key: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff' });
    const openpgp = await import('openpgp');
    const pair = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Hitch', email: 'hitch@example.com' }],
      passphrase: 'pgp pass phrase',
      format: 'armored',
    });
    const pgp = await key('pgp', {
      publicKey: pair.publicKey,
      privateKey: pair.privateKey,
      passphrase: 'pgp pass phrase',
    });
    const id = await scenario([
      { id: 1, app: 'encryptor', module: 'aes-encrypt', keyId: aes, inputs: { data: 'hello {{inputs.who}}' } },
      { id: 2, app: 'encryptor', module: 'aes-decrypt', keyId: aes, inputs: { data: '{{1.data}}' } },
      { id: 3, app: 'encryptor', module: 'pgp-encrypt', keyId: pgp, inputs: { data: '{{2.data}}' } },
      { id: 4, app: 'encryptor', module: 'pgp-decrypt', keyId: pgp, inputs: { data: '{{3.data}}' } },
    ]);
    const response = await w.api('POST', `/api/v1/scenarios/${id}/run`, { inputs: { who: 'world' } });
    const { execution } = response.body;
    expect(execution.status).toBe('success');
    expect(execution.modules[0].output.data).not.toContain('hello');
    expect(execution.modules[1].output).toEqual({ data: 'hello world' });
    expect(execution.modules[2].output.data).toContain('-----BEGIN PGP MESSAGE-----');
    expect(execution.modules[3].output).toEqual({ data: 'hello world' });
    const shown = await w.api('GET', `/api/v1/keys/${pgp}`);
    expect(shown.body.fingerprint).toMatch(/^[0-9a-f]{40,64}$/);
    expect(JSON.stringify(shown.body)).not.toContain('PRIVATE KEY');
  });

  it('refuses to delete a key in use unless confirmed, and lists who uses it', async () => {
    const basic = await key('basic', { username: 'robot', password: PASSWORD }, 'shared basic');
    const id = await scenario([
      {
        id: 1,
        app: 'http',
        module: 'make-basic-auth-request',
        keyId: basic,
        inputs: { url: `${basicService.origin}/x` },
      },
    ]);
    expect((await w.api('GET', `/api/v1/keys/${basic}`)).body.usedBy).toEqual([{ scenarioId: id, name: 'HTTP' }]);
    const refused = await w.api('DELETE', `/api/v1/keys/${basic}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('key_in_use');
    expect((await w.api('DELETE', `/api/v1/keys/${basic}?confirmed=true`)).status).toBe(204);
    const after = await w.api('POST', `/api/v1/scenarios/${id}/run`, {});
    expect(after.status).toBe(400);
    expect(after.body.error.message).toContain('needs a key of type basic');
  });

  it('keeps key secrets out of executions, events and logs', async () => {
    const executions = JSON.stringify(await w.store.db.selectFrom('executions').selectAll().execute());
    const events = JSON.stringify(await w.store.db.selectFrom('events').selectAll().execute());
    const lines = logs.lines.join('\n');
    for (const secret of [
      API_KEY,
      PASSWORD,
      'query-secret-abcdef',
      Buffer.from(`robot:${PASSWORD}`).toString('base64'),
      'BEGIN RSA PRIVATE KEY',
      'BEGIN PRIVATE KEY',
    ]) {
      expect(executions).not.toContain(secret);
      expect(events).not.toContain(secret);
      expect(lines).not.toContain(secret);
    }
  });
});
