import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTestStore } from '../helpers/store.ts';
import { APP_ID, openOAuthWorld, type OAuthWorld } from './harness.ts';

/**
 * Whatever JSON a client sends to the connection routes, Hitch answers with a
 * JSON document and never a 5xx: a 4xx always carries `error.code` and
 * `error.message`. One dialect: this is about input handling.
 */
// Hundreds of requests per property: generous time on a busy two-core machine.
describe('connection routes under random input', { timeout: 120_000 }, () => {
  let w: OAuthWorld;
  let patchTargets: string[] = [];

  beforeAll(async () => {
    w = await openOAuthWorld(sqliteTestStore);
    const idp = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: { app: APP_ID },
    });
    const generic = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: {
        app: 'http',
        parameters: {
          authorizeUri: w.server.authorizationEndpoint,
          tokenUri: w.server.tokenEndpoint,
          clientId: 'c',
          clientSecret: 's',
        },
      },
    });
    patchTargets = [idp.json().connection.id, generic.json().connection.id];
  });
  afterAll(async () => {
    await w.close();
  });

  const HUGE = 'x'.repeat(200_000);
  const NAMES = [
    '__proto__',
    'constructor',
    'prototype',
    'app',
    'auth',
    'name',
    'teamId',
    'scopes',
    'parameters',
    'allowAccountChange',
    'toString',
    'hasOwnProperty',
  ];
  const PARAMETER_NAMES = [
    '__proto__',
    'constructor',
    'clientId',
    'clientSecret',
    'authorizeUri',
    'tokenUri',
    'issuer',
    'baseUrl',
    'verifyUri',
    'revokeUri',
    'scopeSeparator',
    'clientAuth',
    'pkce',
    'authorizeParameters',
    'headers',
    'tokenPlacement',
    'headerTokenName',
  ];

  /** JSON text, so keys such as "__proto__" really are in the body the server parses. */
  const objectText = (entries: Array<[string, string]>) =>
    `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;

  const leafValue = () =>
    fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(
        'http',
        APP_ID,
        'oauth2',
        'apiKey',
        '',
        '   ',
        HUGE,
        'https://127.0.0.1:1/x',
        'http://127.0.0.1:1/x',
        'not a url',
        'javascript:alert(1)',
        '{{clientId}}',
        'true',
        ' ',
        ',',
      ),
      fc.string({ maxLength: 300 }),
      fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }),
      fc.uuid(),
    );
  const valueText = (): fc.Arbitrary<string> => leafValue().map((v) => JSON.stringify(v));
  const parametersText = fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...PARAMETER_NAMES), fc.string({ maxLength: 10 })), valueText()), {
      maxLength: 6,
    })
    .map(objectText);
  /** Bodies that pass the route schema, so the service's own validation is what is tested. */
  const plausibleText = fc
    .record(
      {
        app: fc.constantFrom('"http"', `"${APP_ID}"`, '"nope"'),
        name: fc.oneof(
          fc.string({ maxLength: 140 }).map((v) => JSON.stringify(v)),
          valueText(),
        ),
        scopes: fc.oneof(
          fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }).map((a) => JSON.stringify(a)),
          valueText(),
        ),
        parameters: fc.oneof(fc.constant('{}'), parametersText),
        allowAccountChange: fc.constantFrom('true', 'false', '"yes"'),
      },
      { requiredKeys: [] },
    )
    .map((r) => objectText(Object.entries(r)));
  const bodyText = fc.oneof(
    { weight: 6, arbitrary: plausibleText },
    {
      weight: 6,
      arbitrary: fc
        .array(
          fc.tuple(
            fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 10 })),
            fc.oneof(valueText(), parametersText),
          ),
          { maxLength: 7 },
        )
        .map(objectText),
    },
    { weight: 1, arbitrary: valueText() },
    { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
  );

  function expectWellFormed(
    res: { statusCode: number; headers: Record<string, unknown>; body: string },
    body: string,
  ): void {
    expect(res.statusCode, body.slice(0, 500)).toBeLessThan(500);
    if (res.statusCode === 204) return;
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    const parsed = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
    if (res.statusCode >= 400) {
      expect(typeof parsed.error?.code, res.body).toBe('string');
      expect(typeof parsed.error?.message, res.body).toBe('string');
      expect((parsed.error!.message as string).length).toBeLessThan(2000);
    }
  }

  it('POST /api/v1/connections never answers 5xx', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(bodyText, async (body) => {
        const res = await w.t.app.inject({
          method: 'POST',
          url: '/api/v1/connections',
          headers: { ...w.headers, 'content-type': 'application/json' },
          payload: body,
        });
        expectWellFormed(res, body);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      }),
      // A known-good body first: connection creation is rate-limited per team, so random bodies alone
      // may not get a 201 in before the limit; the property still covers every answer.
      { numRuns: 300, examples: [[`{"app":"${APP_ID}"}`]] },
    );
    // At least the known-good body got through to the service and created a connection.
    expect(statuses.get(201) ?? 0).toBeGreaterThan(0);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('PATCH and reauthorize never answer 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodyText,
        fc.constantFrom(0, 1),
        fc.constantFrom('PATCH', 'REAUTHORIZE'),
        async (body, which, route) => {
          const id = patchTargets[which]!;
          const res = await w.t.app.inject({
            method: route === 'PATCH' ? 'PATCH' : 'POST',
            url: route === 'PATCH' ? `/api/v1/connections/${id}` : `/api/v1/connections/${id}/reauthorize`,
            headers: { ...w.headers, 'content-type': 'application/json' },
            payload: body,
          });
          expectWellFormed(res, body);
        },
      ),
      { numRuns: 300 },
    );
    // The connections are still readable and whole.
    for (const id of patchTargets) {
      const res = await w.t.app.inject({ method: 'GET', url: `/api/v1/connections/${id}`, headers: w.headers });
      expect(res.statusCode).toBe(200);
      expect(res.json().name.trim().length).toBeGreaterThan(0);
    }
  });

  it('list queries and ids never answer 5xx', async () => {
    const queryValue = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('-1', '0', '1', '101', '1e9', 'NaN', 'active', APP_ID, '../', '%00'),
      fc.uuid(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('teamId', 'app', 'status', 'cursor', 'limit', 'x', '__proto__'), queryValue, {
          maxKeys: 4,
        }),
        fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })),
        async (query, id) => {
          const qs = new URLSearchParams(Object.entries(query)).toString();
          const list = await w.t.app.inject({ method: 'GET', url: `/api/v1/connections?${qs}`, headers: w.headers });
          expectWellFormed(list, qs);
          const one = await w.t.app.inject({
            method: 'GET',
            url: `/api/v1/connections/${encodeURIComponent(id)}`,
            headers: w.headers,
          });
          expectWellFormed(one, id);
        },
      ),
      { numRuns: 200 },
    );
  });
});
