import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogError, loadCatalog, parseApp } from '../../src/catalog/catalog.ts';
import { RESERVED_OAUTH_PARAMETERS } from '../../src/catalog/reserved-parameters.ts';
import { dialects } from '../helpers/store.ts';
import { json, openKindsWorld, startServer, type KindsWorld } from './kinds-harness.ts';

/**
 * Security II §5: reserved OAuth parameters (the ones Hitch's OAuth steps set
 * themselves) given as extra authorize, token or refresh parameters are a 400
 * from validation, before any connection row, flow or event is written; an app
 * file with such a static map does not load.
 */

/** Named by the issue; the implementation may reserve more (client assertions, `iss`). */
const ISSUE_NAMES = [
  'state',
  'redirect_uri',
  'code_challenge',
  'code_challenge_method',
  'client_id',
  'client_secret',
  'response_type',
  'grant_type',
  'code',
  'code_verifier',
  'refresh_token',
  'scope',
];
const NAMES = [...new Set([...ISSUE_NAMES, ...RESERVED_OAUTH_PARAMETERS])];
const MAPS = ['authorizeParameters', 'tokenParameters', 'refreshParameters'] as const;
export const RUNS_PER_DIALECT = 120;

/** Upper, lower, or any mix of cases, chosen letter by letter. */
function cased(name: string, pattern: boolean[]): string {
  return Array.from(name)
    .map((c, i) => (pattern[i % pattern.length] ? c.toUpperCase() : c.toLowerCase()))
    .join('');
}

describe('reserved OAuth parameters in the schema', () => {
  it('covers every name the issue lists', () => {
    for (const name of ISSUE_NAMES) expect(RESERVED_OAUTH_PARAMETERS.has(name), name).toBe(true);
  });

  const app = (kind: Record<string, unknown>) => ({
    id: 'quirky',
    name: 'Quirky',
    connections: [
      {
        type: 'oauth2',
        authorizeUrl: 'https://id.example.com/authorize',
        tokenUrl: 'https://id.example.com/token',
        baseUrl: 'https://api.example.com',
        ...kind,
      },
    ],
  });

  it.each(MAPS)('refuses an app whose static %s names a reserved parameter, naming the field', (field) => {
    for (const name of ['state', 'Client_ID', 'REDIRECT_URI']) {
      expect(() => parseApp(app({ [field]: { audience: 'x', [name]: 'evil' } }), 'quirky.json')).toThrow(CatalogError);
      expect(() => parseApp(app({ [field]: { [name]: 'evil' } }), 'quirky.json')).toThrow(
        new RegExp(`quirky\\.json.*${field}.*${name}`),
      );
    }
    // An ordinary quirk still loads.
    expect(
      parseApp(app({ [field]: { audience: 'https://api.example.com', prompt: 'consent' } }), 'quirky.json').id,
    ).toBe('quirky');
  });

  it('counts names that reach a reserved one through upper case (ſtate → STATE)', () => {
    expect(() => parseApp(app({ authorizeParameters: { ſtate: 'x' } }), 'quirky.json')).toThrow(/authorizeParameters/);
    expect(() => parseApp(app({ tokenParameters: { ſcope: 'x' } }), 'quirky.json')).toThrow(/tokenParameters/);
  });

  it('reserves an app’s own scope parameter name as well', () => {
    expect(() =>
      parseApp(app({ scopeParameter: 'scopes', authorizeParameters: { Scopes: 'admin' } }), 'quirky.json'),
    ).toThrow(/authorizeParameters.*Scopes/);
  });

  it('fails to start from HITCH_APPS_DIR with a static authorizeParameters.state, naming file and field', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-apps-'));
    try {
      fs.writeFileSync(path.join(dir, 'quirky.json'), JSON.stringify(app({ authorizeParameters: { state: 'x' } })));
      expect(() => loadCatalog({ appsDir: dir })).toThrow(/quirky\.json.*authorizeParameters.*state/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(dialects)('reserved OAuth parameters through the API on $name', ({ open }) => {
  let w: KindsWorld;
  let idp: Awaited<ReturnType<typeof startServer>>;
  const seen: string[] = [];

  beforeAll(async () => {
    idp = await startServer((req, res, url) => {
      seen.push(url.pathname);
      json(res, 200, { access_token: 'at-123', token_type: 'Bearer', expires_in: 3600 });
    });
    w = await openKindsWorld(open, []);
  });
  afterAll(async () => {
    await w.close();
    await idp.close();
  });

  const count = async (table: 'connections' | 'events' | 'oauth_flows') =>
    Number(
      (
        await w.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const counts = async () => ({
    connections: await count('connections'),
    events: await count('events'),
    flows: await count('oauth_flows'),
  });
  // Refused requests count against the per-team creation limit too; these tests are not about it.
  const resetLimit = () => w.store.db.deleteFrom('rate_limits').execute();
  const create = (parameters: Record<string, unknown>) =>
    w.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: {
        app: 'http',
        parameters: {
          authorizeUri: `${idp.url}/authorize`,
          tokenUri: `${idp.url}/token`,
          clientId: 'client-1',
          clientSecret: 'secret-1',
          ...parameters,
        },
      },
    });

  function expectRefused(res: Pick<LightMyRequestResponse, 'statusCode' | 'json'>, field: string, name: string): void {
    expect(res.statusCode, JSON.stringify(res.json())).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.field).toBe(`parameters.${field}`);
    expect(res.json().error.message).toContain(`"${name}"`);
  }

  it('accepts ordinary extra parameters (the control), and sends them', async () => {
    await resetLimit();
    const res = await create({ authorizeParameters: { audience: 'https://api.example.com', prompt: 'consent' } });
    expect(res.statusCode, res.body).toBe(201);
    const url = new URL(res.json().authorizeUrl);
    expect(url.searchParams.get('audience')).toBe('https://api.example.com');
    expect(url.searchParams.getAll('state')).toHaveLength(1);
  });

  it('refuses every reserved name, in upper and lower case, in each of the three maps, writing nothing', async () => {
    const before = await counts();
    for (const field of MAPS) {
      for (const name of NAMES) {
        for (const spelling of [name, name.toUpperCase()]) {
          await resetLimit();
          expectRefused(await create({ [field]: { [spelling]: 'attacker-value' } }), field, spelling);
        }
      }
    }
    expect(await counts()).toEqual(before);
  });

  it(`refuses any mix of case, among ordinary parameters, in any map (property, ${RUNS_PER_DIALECT} runs)`, async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...NAMES),
        fc.constantFrom(...MAPS),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.dictionary(
          fc.constantFrom('audience', 'prompt', 'resource', 'access_type', 'login_hint'),
          fc.string({ maxLength: 20 }),
          { maxKeys: 3 },
        ),
        fc.boolean(),
        async (name, field, pattern, ordinary, reservedFirst) => {
          await resetLimit();
          const spelling = cased(name, pattern);
          const map = reservedFirst
            ? { [spelling]: 'attacker-value', ...ordinary }
            : { ...ordinary, [spelling]: 'attacker-value' };
          expectRefused(await create({ [field]: map }), field, spelling);
        },
      ),
      { numRuns: RUNS_PER_DIALECT },
    );
    expect(await counts()).toEqual(before);
  });

  it('refuses them for client credentials before the token endpoint is called', async () => {
    await resetLimit();
    const before = await counts();
    seen.length = 0;
    for (const [name, field] of [
      ['grant_type', 'tokenParameters'],
      ['Client_Id', 'tokenParameters'],
      ['scope', 'tokenParameters'],
      ['client_secret', 'refreshParameters'],
    ] as const) {
      expectRefused(await create({ flow: 'client_credentials', [field]: { [name]: 'x' } }), field, name);
    }
    expect(seen).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it('refuses them on reauthorize too, leaving the connection and its flows as they were', async () => {
    await resetLimit();
    const created = await create({});
    expect(created.statusCode).toBe(201);
    const id = created.json().connection.id as string;
    const row = await w.store.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const before = await counts();
    for (const field of MAPS) {
      const res = await w.app.inject({
        method: 'POST',
        url: `/api/v1/connections/${id}/reauthorize`,
        headers: w.headers,
        payload: { parameters: { [field]: { Redirect_Uri: 'https://evil.example.net/cb' } } },
      });
      expectRefused(res, field, 'Redirect_Uri');
    }
    expect(await counts()).toEqual(before);
    expect(
      await w.store.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    ).toEqual(row);
  });
});
