import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateParameters } from '../../src/catalog/parameters.ts';
import type { AppInput, ConnectionKindDefinition, ParameterDefinition } from '../../src/catalog/schema.ts';
import { destinationsOf } from '../../src/connections/destinations.ts';
import { secretContext, type ConnectionSecrets } from '../../src/connections/model.ts';
import { newId } from '../../src/ids.ts';
import { connectionRow } from '../helpers/connection-row.ts';
import { dialects } from '../helpers/store.ts';
import { json, openKindsWorld, readAll, type KindsWorld } from './kinds-harness.ts';

/**
 * Security II §1: a secret's destination is part of the secret. A "good" service on
 * 127.0.0.1 and an "evil" one on 127.0.0.2, both reachable through HITCH_ALLOWED_HOSTS
 * with the default network policy on; the evil one accepts anything and records it.
 */

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
  query: string;
  body: string;
}

async function listen(
  host: string,
  handle: (seen: Seen) => { status: number; body: unknown },
): Promise<{ origin: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    void readAll(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const one = { path: url.pathname, headers: req.headers, query: url.search, body: body.toString('utf8') };
      seen.push(one);
      const answer = handle(one);
      json(res, answer.status, answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    origin: `http://${host}:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const API_KEY = 'good-key-0123456789';
const PASSWORD = 'good-password-0123456789';

/** An app with an editable parameter that is not a destination (it sits in the path), to edit without secrets. */
function pathApp(origin: string): AppInput {
  return {
    id: 'pathed',
    name: 'Pathed',
    connections: [
      {
        type: 'apiKey',
        keys: [{ parameter: 'apiKey', in: 'header', name: 'X-Api-Key' }],
        baseUrl: `${origin}/accounts/{{account}}`,
        verify: { url: '/me', accountId: ['id'], accountLabel: ['name'] },
        parameters: [
          { name: 'apiKey', label: 'API key', type: 'password', secret: true, required: true },
          { name: 'account', label: 'Account', required: true, editable: true, pattern: '[a-z0-9]{1,20}' },
        ],
      },
    ],
  };
}

describe('which parameters are destinations, derived from the catalog', () => {
  let w: KindsWorld;
  beforeAll(async () => {
    w = await openKindsWorld(dialects[0].open, []);
  });
  afterAll(() => w.close());

  const destinations = (app: string, type?: string) =>
    w.catalog
      .kind(w.catalog.require(app), type)
      .parameters.filter((p) => p.destination)
      .map((p) => p.name)
      .sort();

  it('marks the generic app’s URIs and base URLs, hosts typed by people, and not fixed choices or path values', () => {
    expect(destinations('http', 'oauth2')).toEqual([
      'authorizeUri',
      'baseUrl',
      'issuer',
      'revokeUri',
      'tokenUri',
      'verifyUri',
    ]);
    expect(destinations('http', 'apiKey')).toEqual(['baseUrl', 'verifyUri']);
    expect(destinations('http', 'basic')).toEqual(['baseUrl', 'verifyUri']);
    expect(destinations('shopify')).toEqual(['shop']);
    expect(destinations('wordpress', 'basic')).toEqual(['siteUrl']);
    expect(destinations('woocommerce')).toContain('storeUrl');
    // DocuSign: the base URI is a host, the account id only a path segment.
    expect(destinations('docusign')).toContain('baseUri');
    expect(destinations('docusign')).not.toContain('accountId');
    // Salesforce's login host is a select of the hosts the app declares.
    expect(destinations('salesforce')).toEqual([]);
    // Sentry's and Intercom's regions are selects of their own hosts too; Axelor's instance is typed.
    expect(destinations('sentry')).toEqual([]);
    expect(destinations('intercom')).toEqual([]);
    expect(destinations('axelor')).toEqual(['instanceUrl']);
  });

  it('publishes the mark in GET /api/v1/apps/:id', async () => {
    const res = await w.app.inject({ method: 'GET', url: '/api/v1/apps/http', headers: w.headers });
    const apiKey = res
      .json<{ auth: Array<{ type: string; parameters: Array<{ name: string; destination: boolean }> }> }>()
      .auth.find((k) => k.type === 'apiKey')!;
    expect(apiKey.parameters.find((p) => p.name === 'baseUrl')!.destination).toBe(true);
    expect(apiKey.parameters.find((p) => p.name === 'placement')!.destination).toBe(false);
  });
});

describe.each(dialects)('a destination changes only with the secrets entered again, on $name', ({ open }) => {
  let good: Awaited<ReturnType<typeof listen>>;
  let evil: Awaited<ReturnType<typeof listen>>;
  let w: KindsWorld;

  beforeAll(async () => {
    good = await listen('127.0.0.1', (s) => {
      const basic = `Basic ${Buffer.from(`robot:${PASSWORD}`).toString('base64')}`;
      const ok = s.headers['x-api-key'] === API_KEY || s.headers.authorization === basic;
      return ok
        ? { status: 200, body: { id: 'good-account', name: 'Good account', path: s.path } }
        : { status: 401, body: { message: 'no' } };
    });
    evil = await listen('127.0.0.2', () => ({ status: 200, body: { id: 'evil', name: 'Evil' } }));
    w = await openKindsWorld(open, [pathApp(good.origin)], {
      env: { HITCH_ALLOW_PRIVATE_NETWORK: 'false', HITCH_ALLOWED_HOSTS: '127.0.0.1/32,127.0.0.2/32' },
    });
  });
  afterAll(async () => {
    await w.close();
    await Promise.all([good.close(), evil.close()]);
  });
  beforeEach(() => {
    good.seen.length = 0;
    evil.seen.length = 0;
  });

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) =>
    w.app.inject({ method, url, headers: w.headers, ...(body === undefined ? {} : { payload: body as object }) });
  const row = (id: string) =>
    w.store.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const evilSawASecret = () =>
    evil.seen.some(
      (s) =>
        JSON.stringify(s).includes(API_KEY) ||
        JSON.stringify(s).includes(PASSWORD) ||
        JSON.stringify(s).includes(Buffer.from(`robot:${PASSWORD}`).toString('base64')),
    );

  async function create(auth: 'apiKey' | 'basic'): Promise<string> {
    const parameters =
      auth === 'apiKey'
        ? {
            key: API_KEY,
            parameterName: 'X-Api-Key',
            baseUrl: `${good.origin}/api`,
            verifyUri: `${good.origin}/api/me`,
          }
        : { username: 'robot', password: PASSWORD, baseUrl: `${good.origin}/api`, verifyUri: `${good.origin}/api/me` };
    const res = await api('POST', '/api/v1/connections', { app: 'http', auth, parameters });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().connection.id as string;
  }

  for (const auth of ['apiKey', 'basic'] as const) {
    const secretName = auth === 'apiKey' ? 'key' : 'password';

    it(`${auth}: PATCH or reauthorize to another host without the secret is 422 naming it, changes nothing and sends nothing there`, async () => {
      const id = await create(auth);
      const before = await row(id);
      for (const [method, url] of [
        ['PATCH', `/api/v1/connections/${id}`],
        ['POST', `/api/v1/connections/${id}/reauthorize`],
      ] as const) {
        for (const parameters of [
          { baseUrl: `${evil.origin}/api` },
          { verifyUri: `${evil.origin}/me` },
          { baseUrl: `${evil.origin}/api`, verifyUri: `${evil.origin}/me` },
        ]) {
          const res = await api(method, url, { parameters });
          expect(res.statusCode, `${method} ${JSON.stringify(parameters)}: ${res.body}`).toBeGreaterThanOrEqual(400);
          expect(res.statusCode).toBeLessThan(500);
          if (method === 'POST' || !('verifyUri' in parameters)) {
            expect(res.json().error).toMatchObject({ code: 'secrets_required', field: `parameters.${secretName}` });
            expect(res.json().error.message).toMatch(/enter .+ again/);
          }
        }
      }
      expect(await row(id)).toEqual(before);
      expect(evil.seen).toEqual([]);
    });

    it(`${auth}: with the secret entered again, the new values are checked at the service first, then used`, async () => {
      const id = await create(auth);
      const before = await row(id);
      // The verify request still goes to the good host, which refuses the new secret: nothing changes.
      const refused = await api('PATCH', `/api/v1/connections/${id}`, {
        parameters: { baseUrl: `${evil.origin}/api`, [secretName]: 'a-secret-for-the-new-host' },
      });
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.json().error.code).toBe('credentials_rejected');
      expect(await row(id)).toEqual(before);

      const moved = await api('POST', `/api/v1/connections/${id}/reauthorize`, {
        parameters: {
          baseUrl: `${evil.origin}/api`,
          verifyUri: `${evil.origin}/me`,
          [secretName]: 'a-secret-for-the-new-host',
        },
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json().connection.data).toMatchObject({ baseUrl: `${evil.origin}/api` });
      expect(evil.seen.map((s) => s.path)).toEqual(['/me']);
      expect(JSON.stringify(evil.seen)).toContain(
        auth === 'apiKey'
          ? 'a-secret-for-the-new-host'
          : Buffer.from('robot:a-secret-for-the-new-host').toString('base64'),
      );
      expect(evilSawASecret()).toBe(false);
    });

    it(`${auth}: PATCH moves a connection without a verify request once its secret is entered again`, async () => {
      const parameters =
        auth === 'apiKey'
          ? { key: API_KEY, parameterName: 'X-Api-Key', baseUrl: `${good.origin}/api` }
          : { username: 'robot', password: PASSWORD, baseUrl: `${good.origin}/api` };
      const created = await api('POST', '/api/v1/connections', { app: 'http', auth, parameters });
      const id = created.json().connection.id as string;
      const moved = await api('PATCH', `/api/v1/connections/${id}`, {
        parameters: { baseUrl: `${evil.origin}/api`, [secretName]: 'typed-for-the-new-host' },
      });
      expect(moved.statusCode, moved.body).toBe(200);
      const proxied = await w.app.inject({
        method: 'GET',
        url: `/api/v1/connections/${id}/proxy/things`,
        headers: w.bearer,
      });
      expect(proxied.statusCode, proxied.body).toBe(200);
      expect(evil.seen.map((s) => s.path)).toEqual(['/api/things']);
      expect(evilSawASecret()).toBe(false);
    });

    it(`${auth}: a data column moved to another host by hand sends nothing there`, async () => {
      const id = await create(auth);
      const data = JSON.parse((await row(id)).data) as { parameters: Record<string, unknown> };
      data.parameters.baseUrl = `${evil.origin}/api`;
      await w.store.db
        .updateTable('connections')
        .set({ data: JSON.stringify(data) })
        .where('id', '=', id)
        .execute();
      w.connections.credentials.cache.drop(id);
      const proxied = await w.app.inject({
        method: 'GET',
        url: `/api/v1/connections/${id}/proxy/things`,
        headers: w.bearer,
      });
      expect(proxied.statusCode, proxied.body).toBe(424);
      expect(proxied.json().error.message).toMatch(/address changed/);
      const verified = await api('POST', `/api/v1/connections/${id}/verify`);
      expect(verified.json().verified).toBe(false);
      expect(evil.seen).toEqual([]);
    });
  }

  it('edits a parameter that is not a destination without asking for the secret (it used to fail with “API key is required”)', async () => {
    const created = await api('POST', '/api/v1/connections', {
      app: 'pathed',
      parameters: { apiKey: API_KEY, account: 'one' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().connection.id as string;
    const res = await api('PATCH', `/api/v1/connections/${id}`, { parameters: { account: 'two' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ account: 'two' });
    const proxied = await w.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${id}/proxy/things`,
      headers: w.bearer,
    });
    expect(proxied.statusCode, proxied.body).toBe(200);
    expect(proxied.json()).toMatchObject({ path: '/accounts/two/things' });
    // A secret alone is not an edit: it is what reauthorize is for.
    const secretOnly = await api('PATCH', `/api/v1/connections/${id}`, { parameters: { apiKey: 'another' } });
    expect(secretOnly.statusCode).toBe(400);
    expect(secretOnly.json().error.field).toBe('parameters.apiKey');
  });

  it('OAuth: a new Base URL is not a PATCH; reauthorize asks for the Client Secret again', async () => {
    const created = await api('POST', '/api/v1/connections', {
      app: 'http',
      auth: 'oauth2',
      parameters: {
        authorizeUri: `${good.origin}/authorize`,
        tokenUri: `${good.origin}/token`,
        clientId: 'client',
        clientSecret: 'client-secret-value',
        baseUrl: `${good.origin}/api`,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().connection.id as string;
    const before = await row(id);
    const patch = await api('PATCH', `/api/v1/connections/${id}`, { parameters: { baseUrl: `${evil.origin}/api` } });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().error).toMatchObject({ code: 'validation_failed', field: 'parameters.baseUrl' });
    expect(patch.json().error.message).toMatch(/reauthorize/);
    const reauth = await api('POST', `/api/v1/connections/${id}/reauthorize`, {
      parameters: { tokenUri: `${evil.origin}/token` },
    });
    expect(reauth.statusCode).toBe(422);
    expect(reauth.json().error).toMatchObject({ code: 'secrets_required', field: 'parameters.clientSecret' });
    const withSecret = await api('POST', `/api/v1/connections/${id}/reauthorize`, {
      parameters: { tokenUri: `${evil.origin}/token`, clientSecret: 'typed-again' },
    });
    expect(withSecret.statusCode, withSecret.body).toBe(200);
    expect(withSecret.json().authorizeUrl).toMatch(/^http:\/\/127\.0\.0\.1/);
    expect(await row(id)).toEqual(before);
    expect(evil.seen).toEqual([]);
  });
});

// --- every app, every destination ----------------------------------------------------------

/** A value the parameter accepts, other than `avoid`. */
function valuesFor(def: ParameterDefinition, seed: number): string[] {
  if (def.options?.length) return def.options.map((o) => o.value);
  const candidates: string[] = [];
  if (def.pattern)
    candidates.push(...fc.sample(fc.stringMatching(new RegExp(`^(?:${def.pattern})$`)), { numRuns: 20, seed }));
  candidates.push(`https://evil-${seed}.example.com`, `https://evil-${seed}.example.com/path`, `evil${seed}`);
  return candidates.filter((v) => {
    try {
      validateParameters([def], { [def.name]: v });
      return true;
    } catch {
      return false;
    }
  });
}

describe('for every app in the catalog and every destination parameter, a change without secrets is refused', () => {
  let w: KindsWorld;
  beforeAll(async () => {
    w = await openKindsWorld(dialects[0].open, []);
  });
  afterAll(() => w.close());

  /** A stored, working connection of this kind, with every secret it can hold and its destinations recorded. */
  async function fabricate(app: string, kind: ConnectionKindDefinition, seed: number): Promise<string | null> {
    const values: Record<string, unknown> = {};
    const secrets: Record<string, string> = {};
    for (const def of kind.parameters) {
      if (def.secret) {
        secrets[def.name] = def.pattern ? valuesFor(def, seed)[0]! : `stored-secret-${def.name}-${seed}`;
        continue;
      }
      // A required list (the session kind's sources) gets one entry in the form its kind reads.
      if (def.type === 'list' && def.required) values[def.name] = ['cookie:SID'];
      if (def.type === 'map' || def.type === 'list' || def.type === 'boolean') continue;
      if (!def.required && !def.destination && def.name !== 'clientId') continue;
      const value =
        def.name === 'clientId' ? 'own-client' : (valuesFor(def, seed)[0] ?? (def.default as string | undefined));
      if (value === undefined) return null;
      values[def.name] = value;
    }
    const checked = validateParameters(kind.parameters, { ...values, ...secrets });
    const id = newId();
    const stored: ConnectionSecrets = {
      parameters: checked.secrets,
      destinations: destinationsOf(kind, checked.values),
      ...(kind.type === 'oauth2' ? { accessToken: `at-${seed}`, refreshToken: `rt-${seed}` } : {}),
    };
    await w.connections.repository.insert(
      connectionRow(w.teamId, {
        id,
        app,
        auth: kind.type,
        name: `${app} ${kind.type}`,
        data: JSON.stringify({ parameters: checked.values, learned: {} }),
        secrets_enc: w.vault.encryptJson(stored, secretContext(id)),
        created_by: w.user.user.id,
      }),
    );
    return id;
  }

  it('refuses every PATCH and reauthorize that moves a destination without the secrets, and leaves the connection as it was', async () => {
    let cases = 0;
    const skipped: string[] = [];
    for (const app of w.catalog.list()) {
      for (const kind of app.connections) {
        const destinations = kind.parameters.filter((p) => p.destination);
        if (destinations.length === 0) continue;
        const id = await fabricate(app.id, kind, cases + 1);
        if (!id) {
          skipped.push(`${app.id}/${kind.type}`);
          continue;
        }
        const before = await w.store.db
          .selectFrom('connections')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        const current = JSON.parse(before.data).parameters as Record<string, unknown>;
        for (const def of destinations) {
          const other = valuesFor(def, cases + 7).find((v) => v !== current[def.name]);
          if (other === undefined) {
            skipped.push(`${app.id}/${kind.type}/${def.name}`);
            continue;
          }
          for (const [method, url] of [
            ['PATCH', `/api/v1/connections/${id}`],
            ['POST', `/api/v1/connections/${id}/reauthorize`],
          ] as const) {
            const res = await w.app.inject({
              method,
              url,
              headers: w.headers,
              payload: { parameters: { [def.name]: other } },
            });
            expect(
              res.statusCode,
              `${app.id}/${kind.type} ${method} ${def.name}=${other}: ${res.body}`,
            ).toBeGreaterThanOrEqual(400);
            expect(res.statusCode, `${app.id} ${def.name}`).toBeLessThan(500);
            if (method === 'POST')
              expect(res.json().error.code, `${app.id}/${kind.type} ${def.name}`).toBe('secrets_required');
            cases++;
          }
        }
        expect(
          await w.store.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
        ).toEqual(before);
      }
    }
    expect(skipped).toEqual([]);
    // Figures for docs/security.md.
    console.log(`destination property: ${cases} refused changes across the catalog`);
    expect(cases).toBeGreaterThan(20);
  });
});
