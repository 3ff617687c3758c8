/**
 * Executions, events and logs (at trace) hold no credential in any encoding
 * Hitch produces. One scenario runs every module of the HTTP app with every
 * placement kind — Authorization header, custom header, query, Basic, body (a
 * later module maps earlier echoes into its JSON and form bodies), a client
 * certificate — against a service that echoes everything it received. Then
 * every secret is searched for, raw, URL- and form-encoded, base64 (alone and
 * as `user:password`) and as the header value Hitch sent, in the execution as
 * the API shows it, the executions and events tables, and every log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLog, startSharedOAuthServer } from '../connections/harness.ts';
import { EVIL_HOST, GOOD_HOST, makeTwoHostPki, startOrigin, type Origin } from '../helpers/origins.ts';
import type { Pki } from '../helpers/pki.ts';
import { dialects } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import { openScenarioWorld, scopedApp, type ScenarioWorld } from './world.ts';
import { maybe } from '../helpers/maybe.ts';

const S = {
  basicKey: 'basic-key-password-0123456789',
  headerKey: 'header-key-0123456789abcdef',
  bearerKey: 'bearer-key-0123456789abcdef',
  queryKey: 'query-key-0123456789abcdef',
  connectionQuery: 'connection-hapikey-0123456789',
  connectionHeader: 'shpat_connection-0123456789',
  connectionBasic: 'connection-basic-password-0123',
  clientSecret: 'oauth-client-secret-0123456789',
  accessToken: `token-${GOOD_HOST}-0123456789abcdef`,
  passphrase: 'certificate-passphrase-0123456789',
};
const USERS: Partial<Record<keyof typeof S, string>> = { basicKey: 'robot', connectionBasic: 'ann' };

/** Every spelling of a secret Hitch itself could have produced. */
function forms(secret: string, user?: string): string[] {
  const out = [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    Buffer.from(secret).toString('base64'),
    `Bearer ${secret}`,
  ];
  if (user) {
    const basic = Buffer.from(`${user}:${secret}`).toString('base64');
    out.push(`${user}:${secret}`, basic, `Basic ${basic}`, encodeURIComponent(`Basic ${basic}`));
  }
  return out;
}

describe.each(dialects)('no credential in executions, events or logs on $name', ({ open }) => {
  let server: OAuthServer;
  let good: Origin;
  let goodTls: Origin;
  let pki: Pki;
  let w: ScenarioWorld;
  const { log, lines } = memoryLog('trace');

  beforeAll(async () => {
    server = await startSharedOAuthServer();
    pki = makeTwoHostPki();
    good = await startOrigin(GOOD_HOST);
    goodTls = await startOrigin(GOOD_HOST, { pki });
    w = await openScenarioWorld(open, {
      server,
      app: scopedApp(server, good.origin),
      log,
      env: { HITCH_ALLOW_PRIVATE_NETWORK: 'false', HITCH_ALLOWED_HOSTS: `${GOOD_HOST},${EVIL_HOST}` },
    });
  });
  afterAll(async () => {
    await maybe(w)?.close();
    await maybe(good)?.close();
    await maybe(goodTls)?.close();
    maybe(pki)?.cleanup();
    await maybe(server)?.close();
  });

  const created = async (url: string, payload: unknown) => {
    const response = await w.api('POST', url, payload);
    if (response.status !== 201) throw new Error(`${url}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  it('finds none of them, in any encoding, after every module of the HTTP app ran with every placement kind', async () => {
    const key = async (type: string, parameters: Record<string, string>) =>
      (
        await created('/api/v1/keys', {
          name: `${type} ${Object.keys(parameters).join()}`,
          type,
          parameters,
          ...(type === 'aes' || type === 'pgp' ? {} : { origins: [good.origin, goodTls.origin] }),
        })
      ).id as string;
    const basicKey = await key('basic', { username: 'robot', password: S.basicKey });
    const headerKey = await key('apiKey', { key: S.headerKey, placement: 'header', parameterName: 'X-Api-Key' });
    const bearerKey = await key('apiKey', {
      key: `Bearer ${S.bearerKey}`,
      placement: 'header',
      parameterName: 'Authorization',
    });
    const queryKey = await key('apiKey', { key: S.queryKey, placement: 'query', parameterName: 'hapikey' });
    const certificate = await key('certificate', {
      certificate: pki.clientCert,
      privateKey: pki.clientKey,
      passphrase: S.passphrase,
    });
    const connection = async (auth: string, parameters: Record<string, unknown>) =>
      (await created('/api/v1/connections', { app: 'http', auth, parameters: { baseUrl: good.origin, ...parameters } }))
        .connection.id as string;
    const queryConnection = await connection('apiKey', {
      key: S.connectionQuery,
      placement: 'query',
      parameterName: 'hapikey',
    });
    const headerConnection = await connection('apiKey', {
      key: S.connectionHeader,
      placement: 'header',
      parameterName: 'X-Shopify-Access-Token',
    });
    const basicConnection = await connection('basic', { username: 'ann', password: S.connectionBasic });
    const oauthConnection = await connection('oauth2', {
      flow: 'client_credentials',
      tokenUri: `${good.origin}/token`,
      clientId: 'hitch-http-client',
      clientSecret: S.clientSecret,
      clientAuth: 'client_secret_post',
    });

    const echo = `${good.origin}/echo`;
    const modules = [
      { id: 1, app: 'http', module: 'make-basic-auth-request', keyId: basicKey, inputs: { url: echo } },
      { id: 2, app: 'http', module: 'make-api-key-auth-request', keyId: headerKey, inputs: { url: echo } },
      { id: 3, app: 'http', module: 'make-api-key-auth-request', keyId: bearerKey, inputs: { url: echo } },
      { id: 4, app: 'http', module: 'make-api-key-auth-request', keyId: queryKey, inputs: { url: `${echo}?x=1` } },
      { id: 5, app: 'http', module: 'make-api-call', connectionId: queryConnection, inputs: { url: '/echo?x=1' } },
      { id: 6, app: 'http', module: 'make-api-call', connectionId: headerConnection, inputs: { url: '/echo' } },
      { id: 7, app: 'http', module: 'make-api-call', connectionId: basicConnection, inputs: { url: '/echo' } },
      { id: 8, app: 'http', module: 'make-oauth2-request', connectionId: oauthConnection, inputs: { url: '/echo' } },
      {
        id: 9,
        app: 'http',
        module: 'make-request',
        inputs: {
          url: echo,
          method: 'POST',
          body: {
            basic: '{{1.body.headers.authorization}}',
            header: '{{2.body.headers.x-api-key}}',
            bearer: '{{3.body.headers.authorization}}',
            query: '{{5.body.url}}',
            token: '{{8.body.headers.authorization}}',
          },
        },
      },
      {
        id: 10,
        app: 'http',
        module: 'make-request',
        inputs: {
          url: echo,
          method: 'POST',
          bodyType: 'form',
          body: {
            basic: '{{7.body.headers.authorization}}',
            query: '{{4.body.url}}',
            shop: '{{6.body.headers.x-shopify-access-token}}',
          },
        },
      },
      {
        id: 11,
        app: 'http',
        module: 'make-client-certificate-request',
        keyId: certificate,
        inputs: {
          url: `${goodTls.origin}/echo`,
          caCertificate: pki.caCert,
          method: 'POST',
          body: { note: 'mutual TLS' },
        },
      },
    ];
    const scenario = await created('/api/v1/scenarios', { name: 'every placement', modules });
    const run = await w.api('POST', `/api/v1/scenarios/${scenario.id}/run`, {});
    const execution = run.body.execution;
    expect(execution.status, JSON.stringify(execution.modules.map((m: { error?: unknown }) => m.error))).toBe(
      'success',
    );
    // The service did receive (and echo) every secret: what follows is redaction, not absence.
    const received = good.everything();
    for (const name of [
      'basicKey',
      'headerKey',
      'bearerKey',
      'queryKey',
      'connectionQuery',
      'connectionHeader',
      'connectionBasic',
      'clientSecret',
      'accessToken',
    ] as const) {
      expect(
        forms(S[name], USERS[name]).some((f) => received.includes(f)),
        name,
      ).toBe(true);
    }
    expect(goodTls.received[0]?.clientCertificate).toBe(true);

    const listed = await w.api('GET', `/api/v1/scenarios/${scenario.id}/executions`);
    await new Promise((r) => setTimeout(r, 100));
    const places = {
      'execution (run answer)': JSON.stringify(run.body),
      'executions (API)': JSON.stringify(listed.body),
      'executions table': JSON.stringify(await w.store.db.selectFrom('executions').selectAll().execute()),
      'events table': JSON.stringify(await w.store.db.selectFrom('events').selectAll().execute()),
      'logs (trace)': lines.join(''),
    };
    const privateKeyLine = pki.clientKey.split('\n')[3]!;
    const hits: string[] = [];
    for (const [name, secret] of Object.entries(S) as Array<[keyof typeof S, string]>) {
      for (const [where, text] of Object.entries(places)) {
        for (const form of forms(secret, USERS[name]))
          if (text.includes(form)) hits.push(`${where}: ${name} as ${form === secret ? 'raw' : JSON.stringify(form)}`);
      }
    }
    for (const [where, text] of Object.entries(places))
      if (text.includes(privateKeyLine)) hits.push(`${where}: the certificate's private key`);
    expect(hits).toEqual([]);
    // The records still say what happened: URLs without the credentials, statuses, the echoes with their secrets blanked.
    expect(execution.modules[4].request.url).toBe(`${good.origin}/echo?x=1`);
    expect(execution.modules[0].output.body.headers.authorization).toBe('[redacted]');
    expect(lines.some((l) => l.includes('"outbound call"') && l.includes('hapikey=%5Bredacted%5D'))).toBe(true);
  });
});
