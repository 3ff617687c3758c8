import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSharedOAuthServer } from '../connections/harness.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import { makePki, type Pki } from '../helpers/pki.ts';
import { openScenarioWorld, scopedApp, type ScenarioWorld } from '../scenarios/world.ts';

describe('the keychain', () => {
  let server: OAuthServer;
  let pki: Pki;
  let w: ScenarioWorld;

  beforeAll(async () => {
    server = await startSharedOAuthServer();
    pki = makePki();
    w = await openScenarioWorld(sqliteTestStore, { server, app: scopedApp(server, 'http://127.0.0.1:9') });
  });
  afterAll(async () => {
    await w.close();
    await server.close();
    pki.cleanup();
  });

  const create = (type: string, parameters: Record<string, string>) =>
    w.api('POST', '/api/v1/keys', {
      name: `${type} key`,
      type,
      parameters,
      ...(['apiKey', 'basic', 'certificate'].includes(type) ? { origins: ['https://api.example.com'] } : {}),
    });

  it('keeps secret parameters write-only and encrypted at rest', async () => {
    const created = await create('apiKey', {
      key: 'Bearer sk_test_123456789',
      placement: 'header',
      parameterName: 'Authorization',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'apiKey',
      parameters: { placement: 'header', parameterName: 'Authorization' },
      fingerprint: null,
      usedBy: [],
    });
    const shown = await w.api('GET', `/api/v1/keys/${created.body.id}`);
    expect(JSON.stringify(shown.body)).not.toContain('sk_test_123456789');
    const row = await w.store.db
      .selectFrom('keys')
      .selectAll()
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('sk_test_123456789');
    const listed = await w.api('GET', '/api/v1/keys?type=apiKey');
    expect(listed.body.items.map((k: { id: string }) => k.id)).toContain(created.body.id);
    expect((await w.api('GET', '/api/v1/keys?type=basic')).body.items).toEqual([]);
    const events = await w.store.db.selectFrom('events').select('type').where('type', 'like', 'key.%').execute();
    expect(events.map((e) => e.type)).toContain('key.created');
  });

  it('accepts a certificate whose private key matches, with its fingerprint, and refuses one that does not', async () => {
    const good = await create('certificate', { certificate: pki.clientCert, privateKey: pki.clientKey });
    expect(good.status).toBe(201);
    expect(good.body.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(JSON.stringify(good.body)).not.toContain('PRIVATE KEY');

    const mismatch = await create('certificate', { certificate: pki.clientCert, privateKey: pki.otherKey });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error).toMatchObject({ code: 'validation_failed', field: 'parameters.privateKey' });
    const garbage = await create('certificate', { certificate: 'not a certificate', privateKey: pki.clientKey });
    expect(garbage.body.error.field).toBe('parameters.certificate');

    // A PATCH is checked as a whole: a new key must match the stored certificate.
    const patched = await w.api('PATCH', `/api/v1/keys/${good.body.id}`, { parameters: { privateKey: pki.otherKey } });
    expect(patched.status).toBe(400);
    const replaced = await w.api('PATCH', `/api/v1/keys/${good.body.id}`, {
      parameters: { certificate: pki.otherCert, privateKey: pki.otherKey },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.fingerprint).not.toBe(good.body.fingerprint);
  });

  it('reads an encrypted private key only with its passphrase', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const encrypted = privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'right phrase',
    }) as string;
    // Not the certificate's key, so it parses but does not match: the error says so, after decrypting.
    const wrong = await create('certificate', {
      certificate: pki.clientCert,
      privateKey: encrypted,
      passphrase: 'wrong phrase',
    });
    expect(wrong.body.error.message).toContain('passphrase');
    const right = await create('certificate', {
      certificate: pki.clientCert,
      privateKey: encrypted,
      passphrase: 'right phrase',
    });
    expect(right.body.error.message).toContain('does not belong');
  });

  it('takes AES keys of 128, 192 and 256 bits only', async () => {
    for (const hex of ['00'.repeat(16), '00'.repeat(24), '00'.repeat(32)])
      expect((await create('aes', { key: hex })).status).toBe(201);
    expect((await create('aes', { key: Buffer.alloc(32, 7).toString('base64') })).status).toBe(201);
    const short = await create('aes', { key: '00'.repeat(8) });
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe('parameters.key');
  });

  it('refuses PGP keys that do not parse, and a protected private key without its passphrase', async () => {
    const openpgp = await import('openpgp');
    const pair = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ email: 'k@example.com' }],
      passphrase: 'secret words',
      format: 'armored',
    });
    expect((await create('pgp', { publicKey: 'not armored' })).body.error.field).toBe('parameters.publicKey');
    expect((await create('pgp', { privateKey: pair.privateKey })).body.error.field).toBe('parameters.passphrase');
    expect((await create('pgp', { privateKey: pair.privateKey, passphrase: 'wrong' })).body.error.field).toBe(
      'parameters.passphrase',
    );
    const ok = await create('pgp', { publicKey: pair.publicKey });
    expect(ok.status).toBe(201);
    expect(ok.body.parameters.publicKey).toContain('BEGIN PGP PUBLIC KEY BLOCK');
  });

  it('refuses unknown parameters and types, naming the field', async () => {
    expect((await create('basic', { username: 'a', password: 'b', extra: 'c' })).body.error.field).toBe(
      'parameters.extra',
    );
    expect((await create('basic', { username: 'a' })).body.error.field).toBe('parameters.password');
    expect((await create('rot13', {})).status).toBe(400);
  });
});
