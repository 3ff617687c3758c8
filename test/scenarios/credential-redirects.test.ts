/**
 * Every caller that carries a credential, through Hitch's own API: the verify
 * request of a new connection, "Make an API call" through a connection, and the
 * HTTP app's keychain modules. A redirect to the evil host (127.0.0.2) gets no
 * credential of any placement kind; a redirect on the good host (127.0.0.1) is
 * followed with them — including a key in the query string, which used to stop
 * the chain. Default network policy, only the two hosts allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSharedOAuthServer } from '../connections/harness.ts';
import { EVIL_HOST, GOOD_HOST, redirectVia, spellings, startOrigin, type Origin } from '../helpers/origins.ts';
import { sqliteTestStore } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import { openScenarioWorld, scopedApp, type ScenarioWorld } from './world.ts';
import { maybe } from '../helpers/maybe.ts';

const STATUSES = [301, 302, 303, 307, 308];
const SECRET = 'redirect-secret-0123456789abcdef';

interface Kind {
  name: string;
  parameters: Record<string, string>;
  /** What the good host must see on a hop that carries the credential. */
  carried: (seen: Origin['received'][number]) => boolean;
}

const kinds: Kind[] = [
  {
    name: 'custom header',
    parameters: { placement: 'header', parameterName: 'X-Api-Key' },
    carried: (r) => r.headers['x-api-key'] === SECRET,
  },
  {
    name: 'Authorization header',
    parameters: { placement: 'header', parameterName: 'Authorization', prefix: 'Bearer' },
    carried: (r) => r.headers.authorization === `Bearer ${SECRET}`,
  },
  {
    name: 'query',
    parameters: { placement: 'query', parameterName: 'hapikey' },
    carried: (r) => new URL(r.url, 'http://x').searchParams.getAll('hapikey').join() === SECRET,
  },
];
const basicCarried = (r: Origin['received'][number]) =>
  r.headers.authorization === `Basic ${Buffer.from(`robot:${SECRET}`).toString('base64')}`;

describe('credentials on redirects, through Hitch', { timeout: 120_000 }, () => {
  let server: OAuthServer;
  let good: Origin;
  let evil: Origin;
  let w: ScenarioWorld;

  beforeAll(async () => {
    server = await startSharedOAuthServer();
    good = await startOrigin(GOOD_HOST);
    evil = await startOrigin(EVIL_HOST);
    w = await openScenarioWorld(sqliteTestStore, {
      server,
      app: scopedApp(server, good.origin),
      env: { HITCH_ALLOW_PRIVATE_NETWORK: 'false', HITCH_ALLOWED_HOSTS: `${GOOD_HOST},${EVIL_HOST}` },
    });
  });
  afterAll(async () => {
    await maybe(w)?.close();
    await maybe(good)?.close();
    await maybe(evil)?.close();
    await maybe(server)?.close();
  });

  const evilSawNothing = () =>
    expect(
      spellings(SECRET).filter((form) => evil.everything().includes(form)),
      evil.everything(),
    ).toEqual([]);
  const reset = () => {
    good.reset();
    evil.reset();
  };
  const connection = async (auth: 'apiKey' | 'basic', parameters: Record<string, string>) => {
    const created = await w.api('POST', '/api/v1/connections', {
      app: 'http',
      auth,
      parameters: { baseUrl: good.origin, ...parameters },
    });
    return created;
  };
  const runModule = async (module: Record<string, unknown>) => {
    const scenario = await w.api('POST', '/api/v1/scenarios', {
      name: `redirects ${Math.random()}`,
      modules: [{ id: 1, app: 'http', ...module }],
    });
    if (scenario.status !== 201) throw new Error(`scenario: ${scenario.status} ${JSON.stringify(scenario.body)}`);
    return (await w.api('POST', `/api/v1/scenarios/${scenario.body.id}/run`, {})).body.execution;
  };

  it('the verify request sends no key or password where a redirect to another origin points', async () => {
    for (const status of STATUSES) {
      for (const kind of kinds) {
        reset();
        const created = await connection('apiKey', {
          key: SECRET,
          ...kind.parameters,
          verifyUri: redirectVia(good, `${evil.origin}/me`, status),
        });
        expect(created.status, `${kind.name} ${status}: ${JSON.stringify(created.body)}`).toBe(201);
        expect(kind.carried(good.received[0]!)).toBe(true);
        expect(evil.received).toHaveLength(1);
        evilSawNothing();
      }
      reset();
      const basic = await connection('basic', {
        username: 'robot',
        password: SECRET,
        verifyUri: redirectVia(good, `${evil.origin}/me`, status),
      });
      expect(basic.status).toBe(201);
      expect(basicCarried(good.received[0]!)).toBe(true);
      expect(evil.received).toHaveLength(1);
      expect(evil.received[0]!.headers.authorization).toBeUndefined();
      evilSawNothing();
    }
  });

  it('the verify request keeps the credentials on a same-origin redirect', async () => {
    for (const kind of kinds) {
      reset();
      const created = await connection('apiKey', {
        key: SECRET,
        ...kind.parameters,
        verifyUri: redirectVia(good, '/me', 307),
      });
      expect(created.status).toBe(201);
      expect(good.received.map((r) => new URL(r.url, 'http://x').pathname)).toEqual(['/redirect', '/me']);
      expect(kind.carried(good.received[1]!), kind.name).toBe(true);
    }
  });

  it('"Make an API call" through a connection follows same-origin redirects with its key, query included, and carries none elsewhere', async () => {
    for (const kind of [...kinds, undefined]) {
      const created = kind
        ? await connection('apiKey', { key: SECRET, ...kind.parameters })
        : await connection('basic', { username: 'robot', password: SECRET });
      const carried = kind ? kind.carried : basicCarried;
      const connectionId = created.body.connection.id as string;
      for (const status of STATUSES) {
        reset();
        const same = await runModule({
          module: 'make-api-call',
          connectionId,
          inputs: { url: `/redirect?status=${status}&to=${encodeURIComponent('/landing?x=1')}` },
        });
        expect(same.status, JSON.stringify(same)).toBe('success');
        expect(same.modules[0].output.status).toBe(200);
        expect(good.received).toHaveLength(2);
        expect(carried(good.received[1]!), `${kind?.name ?? 'basic'} ${status}`).toBe(true);

        reset();
        const cross = await runModule({
          module: 'make-api-call',
          connectionId,
          inputs: { url: `/redirect?status=${status}&echo=1&to=${encodeURIComponent(`${evil.origin}/x`)}` },
        });
        expect(cross.modules[0].output.status).toBe(200);
        expect(evil.received).toHaveLength(1);
        evilSawNothing();
      }
    }
  });

  it('the HTTP app’s key modules follow same-origin redirects with the key and carry none elsewhere', async () => {
    const keys: Array<{ module: string; id: string; carried: Kind['carried'] }> = [];
    for (const kind of kinds) {
      const created = await w.api('POST', '/api/v1/keys', {
        name: `key ${kind.name}`,
        type: 'apiKey',
        parameters: {
          key: kind.parameters.prefix ? `${kind.parameters.prefix} ${SECRET}` : SECRET,
          placement: kind.parameters.placement,
          parameterName: kind.parameters.parameterName,
        },
        origins: [good.origin],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      keys.push({ module: 'make-api-key-auth-request', id: created.body.id, carried: kind.carried });
    }
    const basic = await w.api('POST', '/api/v1/keys', {
      name: 'basic key',
      type: 'basic',
      parameters: { username: 'robot', password: SECRET },
      origins: [good.origin],
    });
    keys.push({ module: 'make-basic-auth-request', id: basic.body.id, carried: basicCarried });
    for (const key of keys) {
      for (const status of STATUSES) {
        reset();
        const same = await runModule({
          module: key.module,
          keyId: key.id,
          inputs: { url: redirectVia(good, '/landing', status) },
        });
        expect(same.status, JSON.stringify(same)).toBe('success');
        expect(same.modules[0].output.status).toBe(200);
        expect(key.carried(good.received[1]!), `${key.module} ${status}`).toBe(true);
        expect(JSON.stringify(same)).not.toContain(SECRET);

        reset();
        const cross = await runModule({
          module: key.module,
          keyId: key.id,
          inputs: { url: redirectVia(good, `${evil.origin}/x`, status, {}, true) },
        });
        expect(cross.modules[0].output.status).toBe(200);
        evilSawNothing();
      }
    }
  });
});
