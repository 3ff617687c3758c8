import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveBasic } from '../../src/catalog/resolve.ts';
import type { AppInput } from '../../src/catalog/schema.ts';
import type { KindFactory } from '../../src/connections/kinds/index.ts';
import type { ConnectionKind, KindSettings } from '../../src/connections/kinds/kind.ts';
import type { ConnectionSecrets } from '../../src/connections/model.ts';
import { HitchError } from '../../src/errors.ts';
import { PUBLIC_URL } from '../http/app.ts';
import { dialects } from '../helpers/store.ts';
import { callbackPath } from './harness.ts';
import { json, openKindsWorld, readAll, startServer, type KindsWorld } from './kinds-harness.ts';
import { placedValue } from '../helpers/placed.ts';

/**
 * The consent step is enough for a new browser kind: an OAuth 1.0a kind (RFC 5849,
 * PLAINTEXT signatures, §3.4.4), written here and registered only in this test,
 * goes create → consent → callback → active through the service and callback
 * code as they are, against a tiny server written from the RFC.
 */

/** RFC 5849 §3.6: RFC 3986 unreserved characters stay, everything else is %XX. */
const enc = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);

/** RFC 5849 §3.5.1: the `Authorization: OAuth …` header. */
function oauthHeader(parameters: Record<string, string>): string {
  return `OAuth ${Object.entries(parameters)
    .map(([k, v]) => `${enc(k)}="${enc(v)}"`)
    .join(', ')}`;
}

function parseOAuthHeader(header: string | undefined): Record<string, string> | null {
  if (!header?.startsWith('OAuth ')) return null;
  const out: Record<string, string> = {};
  for (const m of header.slice(6).matchAll(/([\w-]+)="([^"]*)"/g))
    out[decodeURIComponent(m[1]!)] = decodeURIComponent(m[2]!);
  return out;
}

/** RFC 5849 §3.4.4: PLAINTEXT's signature is the two secrets, encoded and joined by `&`. */
const plaintext = (consumerSecret: string, tokenSecret: string) => `${enc(consumerSecret)}&${enc(tokenSecret)}`;

interface OAuth1Settings extends KindSettings {
  consumerKey: string;
  consumerSecret: string;
  requestTokenUrl: string;
  authorizeUrl: string;
  accessTokenUrl: string;
}

function signed(settings: OAuth1Settings, token: { token?: string; secret: string }, extra: Record<string, string>) {
  return oauthHeader({
    oauth_consumer_key: settings.consumerKey,
    ...(token.token ? { oauth_token: token.token } : {}),
    oauth_signature_method: 'PLAINTEXT',
    oauth_version: '1.0',
    ...extra,
    oauth_signature: plaintext(settings.consumerSecret, token.secret),
  });
}

/** The test's kind: the app's `basic` definition gives the consumer key and secret (stands in for the built-in Basic here). */
const oauth1Kind: KindFactory = ({ outbound }) => {
  async function post(url: string, authorization: string): Promise<URLSearchParams> {
    const response = await outbound.fetch(url, { method: 'POST', headers: { authorization } });
    const body = await response.text();
    if (!response.ok) throw new HitchError('oauth_rejected', { message: `The service refused: ${body.slice(0, 100)}` });
    return new URLSearchParams(body);
  }
  const place = (settings: OAuth1Settings, secrets: ConnectionSecrets) => [
    {
      in: 'header' as const,
      name: 'Authorization',
      value: signed(settings, { token: secrets.accessToken!, secret: secrets.kindSecrets!.tokenSecret! }, {}),
    },
  ];
  const kind: ConnectionKind<OAuth1Settings> = {
    type: 'basic',
    words: 'this consumer key',
    resolve(_app, definition, input): OAuth1Settings {
      if (definition.type !== 'basic') throw new TypeError('oauth1 resolves basic definitions in this test');
      const basic = resolveBasic(definition, { values: input.values, secrets: input.secrets });
      const base = basic.baseUrl!;
      return {
        baseUrl: base,
        verify: basic.verify,
        consumerKey: basic.username,
        consumerSecret: basic.password,
        requestTokenUrl: `${base}/oauth/request_token`,
        authorizeUrl: `${base}/oauth/authorize`,
        accessTokenUrl: `${base}/oauth/access_token`,
      };
    },
    place,
    consent: {
      // §2.1: a request token, with the callback carrying Hitch's state back.
      async start(settings, input) {
        const callback = `${input.redirectUri}?state=${encodeURIComponent(input.state)}`;
        const answer = await post(
          settings.requestTokenUrl,
          signed(settings, { secret: '' }, { oauth_callback: callback }),
        );
        if (answer.get('oauth_callback_confirmed') !== 'true') throw new HitchError('oauth_failed');
        const requestToken = answer.get('oauth_token')!;
        return {
          authorizeUrl: `${settings.authorizeUrl}?oauth_token=${encodeURIComponent(requestToken)}`,
          flowSecrets: { requestToken, requestTokenSecret: answer.get('oauth_token_secret')! },
        };
      },
      // §2.3: the verifier and the request token, signed with the request token's secret, for the token credentials.
      async finish(settings, input) {
        const verifier = input.callbackParameters.get('oauth_verifier');
        if (!verifier || input.callbackParameters.get('oauth_token') !== input.flowSecrets.requestToken)
          throw new HitchError('oauth_rejected', { message: 'The answer is not for this request token.' });
        const answer = await post(
          settings.accessTokenUrl,
          signed(
            settings,
            { token: input.flowSecrets.requestToken, secret: input.flowSecrets.requestTokenSecret! },
            { oauth_verifier: verifier },
          ),
        );
        return {
          credentials: {
            accessToken: answer.get('oauth_token')!,
            kindSecrets: { tokenSecret: answer.get('oauth_token_secret')! },
          },
          learned: {},
        };
      },
    },
  };
  return kind;
};

/** A service speaking RFC 5849 with PLAINTEXT signatures; its person approves at once. */
function oauth1Service(consumer: { key: string; secret: string }) {
  const requests = new Map<string, { secret: string; callback: string; verifier: string }>();
  const access = new Map<string, string>();
  const seen: string[] = [];
  /** Answers one request; true once answered. */
  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<true> => {
    await readAll(req);
    seen.push(url.pathname);
    const auth = parseOAuthHeader(req.headers.authorization);
    const consumerOk = auth?.oauth_consumer_key === consumer.key && auth.oauth_signature_method === 'PLAINTEXT';
    const form = (status: number, body: Record<string, string>): true => {
      res.writeHead(status, { 'content-type': 'application/x-www-form-urlencoded' });
      res.end(new URLSearchParams(body).toString());
      return true;
    };
    const send = (status: number, body: unknown): true => {
      json(res, status, body);
      return true;
    };
    if (url.pathname === '/oauth/request_token' && req.method === 'POST') {
      if (!consumerOk || auth.oauth_signature !== plaintext(consumer.secret, '') || !auth.oauth_callback)
        return form(401, { oauth_problem: 'signature_invalid' });
      const token = randomBytes(12).toString('hex');
      requests.set(token, {
        secret: randomBytes(12).toString('hex'),
        callback: auth.oauth_callback,
        verifier: randomBytes(8).toString('hex'),
      });
      return form(200, {
        oauth_token: token,
        oauth_token_secret: requests.get(token)!.secret,
        oauth_callback_confirmed: 'true',
      });
    }
    if (url.pathname === '/oauth/authorize') {
      const token = url.searchParams.get('oauth_token') ?? '';
      const pending = requests.get(token);
      if (!pending) return form(400, { oauth_problem: 'token_rejected' });
      // §2.2: back to the callback with the token and the verifier, its own query kept.
      const back = new URL(pending.callback);
      back.searchParams.set('oauth_token', token);
      back.searchParams.set('oauth_verifier', pending.verifier);
      res.writeHead(302, { location: back.toString() });
      res.end();
      return true;
    }
    if (url.pathname === '/oauth/access_token' && req.method === 'POST') {
      const pending = requests.get(auth?.oauth_token ?? '');
      if (
        !consumerOk ||
        !pending ||
        auth.oauth_verifier !== pending.verifier ||
        auth.oauth_signature !== plaintext(consumer.secret, pending.secret)
      )
        return form(401, { oauth_problem: 'signature_invalid' });
      requests.delete(auth.oauth_token!);
      const token = randomBytes(12).toString('hex');
      const secret = randomBytes(12).toString('hex');
      access.set(token, secret);
      return form(200, { oauth_token: token, oauth_token_secret: secret });
    }
    if (url.pathname === '/me') {
      const secret = access.get(auth?.oauth_token ?? '');
      if (!consumerOk || secret === undefined || auth.oauth_signature !== plaintext(consumer.secret, secret))
        return send(401, { error: 'unauthorized' });
      return send(200, { id: 'tumbler-7', name: 'Tumbler Seven' });
    }
    return send(404, {});
  };
  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    await route(req, res, url);
  };
  return { handle, seen, access };
}

describe.each(dialects)('a browser kind added beside the built-in ones, on $name', ({ open }) => {
  const consumer = { key: 'consumer-key-1', secret: 'consumer-secret-äb&c' };
  const service = oauth1Service(consumer);
  let server: Awaited<ReturnType<typeof startServer>>;
  let w: KindsWorld;

  beforeAll(async () => {
    server = await startServer(service.handle);
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    const app = {
      id: 'tumblrish',
      name: 'Tumblrish',
      connections: [
        {
          type: 'basic',
          usernameParameter: 'consumerKey',
          passwordParameter: 'consumerSecret',
          baseUrl: server.url,
          verify: { url: '/me', accountId: ['id'], accountLabel: ['name'] },
          parameters: [
            { name: 'consumerKey', label: 'Consumer key', required: true },
            { name: 'consumerSecret', label: 'Consumer secret', type: 'password', secret: true, required: true },
          ],
        },
      ],
    } as AppInput;
    w = await openKindsWorld(open, [app], { kinds: [oauth1Kind] });
  });
  afterEach(async () => {
    await w.close();
  });

  it('goes create → consent → callback → active, the request-token secret carried by the flow', async () => {
    const created = await w.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: { app: 'tumblrish', parameters: { consumerKey: consumer.key, consumerSecret: consumer.secret } },
    });
    expect(created.statusCode).toBe(201);
    const { connection, authorizeUrl } = created.json<{
      connection: { id: string; status: string };
      authorizeUrl: string;
    }>();
    expect(connection.status).toBe('pending');
    expect(authorizeUrl).toMatch(new RegExp(`^${server.url}/oauth/authorize\\?oauth_token=`));

    // The person approves at the service, which sends the browser back to Hitch's callback.
    const consented = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(consented.status).toBe(302);
    const callbackUrl = consented.headers.get('location')!;
    expect(callbackUrl.startsWith(`${PUBLIC_URL}/oauth/callback?state=`)).toBe(true);

    const pageHeaders = { cookie: w.cookie, host: new URL(PUBLIC_URL).host };
    const callback = await w.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: pageHeaders });
    expect(callback.statusCode).toBe(200);
    expect(callback.body).toContain('The connection is established.');

    const shown = await w.app.inject({
      method: 'GET',
      url: `/api/v1/connections/${connection.id}`,
      headers: w.headers,
    });
    expect(shown.json()).toMatchObject({
      status: 'active',
      auth: 'basic',
      account: { id: 'tumbler-7', label: 'Tumbler Seven' },
    });
    expect(service.seen).toEqual(['/oauth/request_token', '/oauth/authorize', '/oauth/access_token', '/me']);

    // The token credentials are placed as the kind says, with the secret it keeps.
    const [accessToken] = [...service.access.keys()];
    const credentials = await w.connections.credentials.get(connection.id);
    expect(parseOAuthHeader(placedValue(credentials.placed))).toMatchObject({ oauth_token: accessToken });

    // The core's rules hold for the new kind too: the state is single use.
    const again = await w.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: pageHeaders });
    expect(again.statusCode).not.toBe(200);
    expect(again.body).not.toContain('The connection is established.');
    expect((await w.store.db.selectFrom('oauth_flows').select('state_hash').execute()).length).toBe(0);
  });
});
