/**
 * An OAuth 1.0a service written from RFC 5849, not from Hitch's client: the three
 * endpoints of §2 (a person who approves at once, or declines), a protected API,
 * and its own verification of every signed request (§3.2):
 *
 * - the Authorization header parsed as §3.5.1 says;
 * - the signature base string built from the request as received (§3.4.1): the
 *   method, the base string URI from the Host header and the raw path (§3.4.1.2),
 *   the raw query and a form body decoded as application/x-www-form-urlencoded
 *   (§3.4.1.3.1), every name and value percent-encoded byte by byte (§3.6), then
 *   sorted by name and value (§3.4.1.3.2);
 * - HMAC-SHA1 (§3.4.2), HMAC-SHA256, RSA-SHA1 against the consumer's public key
 *   (§3.4.3), and PLAINTEXT only over TLS (§3.4.4);
 * - a timestamp within five minutes and a nonce never seen before with the same
 *   timestamp, consumer and token (§3.3).
 *
 * The API answers `…/members/me` with the account, `…/redirect?to=URL` with a
 * 302 there, and anything else with what it verified (method, target, the
 * parameters it decoded).
 *
 * Refusals are 401 with an `oauth_problem` (the Problem Reporting extension) so
 * tests can see which rule failed.
 */
import { createHmac, createVerify, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';

export const TIMESTAMP_WINDOW_S = 300;

/** §3.6: every byte but ALPHA, DIGIT, "-", ".", "_", "~" becomes %XX with upper-case hex. */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** application/x-www-form-urlencoded decoding (HTML 4.01 §17.13.4): `+` is a space, then %XX. */
export function formDecode(text: string): Array<[string, string]> {
  if (text === '') return [];
  const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
  return text.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq === -1 ? [decode(pair), ''] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
  });
}

/** §3.5.1: `OAuth realm="x", name="value", …`; null when the header is not one. */
export function parseAuthorization(header: string | undefined): Map<string, string> | null {
  if (!header || !/^OAuth\s/i.test(header)) return null;
  const out = new Map<string, string>();
  for (const part of header.replace(/^OAuth\s+/i, '').split(',')) {
    const m = /^\s*([^=\s]+)="([^"]*)"\s*$/.exec(part);
    if (!m) return null;
    const name = decodeURIComponent(m[1]!);
    if (out.has(name)) return null;
    out.set(name, decodeURIComponent(m[2]!));
  }
  return out;
}

/** §3.4.1: the signature base string of a request as received. */
export function baseString(input: {
  method: string;
  scheme: 'http' | 'https';
  host: string;
  /** The request-target as received: raw path and query. */
  target: string;
  /** The body when it is a form (Content-Type application/x-www-form-urlencoded), else null. */
  form: string | null;
  protocol: Map<string, string>;
}): string {
  const q = input.target.indexOf('?');
  const path = q === -1 ? input.target : input.target.slice(0, q);
  const query = q === -1 ? '' : input.target.slice(q + 1);
  // §3.4.1.2: lower-case scheme and host, the port only when it is not the default one.
  let host = input.host.toLowerCase();
  if ((input.scheme === 'http' && host.endsWith(':80')) || (input.scheme === 'https' && host.endsWith(':443')))
    host = host.replace(/:\d+$/, '');
  const uri = `${input.scheme}://${host}${path}`;
  const pairs: Array<[string, string]> = [...formDecode(query), ...(input.form === null ? [] : formDecode(input.form))];
  for (const [name, value] of input.protocol)
    if (name !== 'realm' && name !== 'oauth_signature') pairs.push([name, value]);
  const normalized = pairs
    .map(([n, v]) => [percentEncode(n), percentEncode(v)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
  return [input.method.toUpperCase(), percentEncode(uri), percentEncode(normalized)].join('&');
}

export interface Consumer {
  secret: string;
  /** PEM: for RSA-SHA1. */
  publicKey?: string;
}

interface Issued {
  secret: string;
  consumerKey: string;
}

interface Temporary extends Issued {
  callback: string;
  verifier: string;
}

/** What the service saw of one signed request, after verifying it. */
export interface Verified {
  method: string;
  target: string;
  signatureMethod: string;
  nonce: string;
  timestamp: number;
  token: string | undefined;
  /** Query and form parameters as the service decoded them. */
  parameters: Array<[string, string]>;
  authorization: string;
}

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export interface OAuth1Provider {
  origin: string;
  consumers: Map<string, Consumer>;
  /** Token credentials issued and not revoked: token → secret. */
  access: Map<string, Issued>;
  /** Every temporary-credentials secret issued (§2.1), for secret scans. */
  temporarySecrets: string[];
  /** Every request that passed verification, in order. */
  verified: Verified[];
  /** Every refusal, by `oauth_problem`. */
  refusals: string[];
  /** Raw request records: method, target, headers. */
  received: Array<{ method: string; target: string; headers: http.IncomingHttpHeaders }>;
  /** The next consent is declined (X's `denied=`). */
  declineNext(): void;
  /** Answers 401 to a request for a resource the token cannot see, while the token still works. */
  forbiddenPaths: Set<string>;
  close(): Promise<void>;
}

/** Starts the service on 127.0.0.1; over TLS when `tls` is given. */
export async function startOAuth1Provider(
  options: {
    consumers?: Record<string, Consumer>;
    tls?: { key: string; cert: string };
    /** The access-token endpoint takes GET instead of the RFC's POST, as Tumblr's does. */
    accessTokenByGet?: boolean;
  } = {},
): Promise<OAuth1Provider> {
  const consumers = new Map(Object.entries(options.consumers ?? {}));
  const temporary = new Map<string, Temporary>();
  const access = new Map<string, Issued>();
  const nonces = new Set<string>();
  const verified: Verified[] = [];
  const temporarySecrets: string[] = [];
  const refusals: string[] = [];
  const received: OAuth1Provider['received'] = [];
  const forbiddenPaths = new Set<string>();
  let decline = false;

  /** Answers; `true` so a route can end with `return refuse(…)`. */
  function refuse(res: http.ServerResponse, problem: string, status = 401): true {
    refusals.push(problem);
    res.writeHead(status, { 'content-type': 'application/x-www-form-urlencoded' });
    res.end(`oauth_problem=${problem}`);
    return true;
  }

  /** §3.2: the request's signature, timestamp and nonce checked; the problem when one fails. */
  function verify(
    req: http.IncomingMessage,
    body: string,
    tokenSecretOf: (token: string | undefined) => string | undefined,
  ): { ok: Verified; protocol: Map<string, string> } | { problem: string } {
    const protocol = parseAuthorization(req.headers.authorization);
    if (!protocol) return { problem: 'parameter_absent' };
    const consumerKey = protocol.get('oauth_consumer_key');
    const method = protocol.get('oauth_signature_method');
    const signature = protocol.get('oauth_signature');
    const timestamp = Number(protocol.get('oauth_timestamp'));
    const nonce = protocol.get('oauth_nonce');
    if (!consumerKey || !method || !signature) return { problem: 'parameter_absent' };
    const version = protocol.get('oauth_version');
    if (version !== undefined && version !== '1.0') return { problem: 'version_rejected' };
    const consumer = consumers.get(consumerKey);
    if (!consumer) return { problem: 'consumer_key_unknown' };
    const token = protocol.get('oauth_token');
    const tokenSecret = tokenSecretOf(token);
    if (tokenSecret === undefined) return { problem: 'token_rejected' };
    const tls = req.socket instanceof TLSSocket;
    if (method !== 'PLAINTEXT') {
      if (!Number.isInteger(timestamp) || !nonce) return { problem: 'parameter_absent' };
      if (Math.abs(Date.now() / 1000 - timestamp) > TIMESTAMP_WINDOW_S) return { problem: 'timestamp_refused' };
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const base = baseString({
      method: req.method ?? 'GET',
      scheme: tls ? 'https' : 'http',
      host: req.headers.host ?? '',
      target: req.url ?? '/',
      form: contentType === 'application/x-www-form-urlencoded' ? body : null,
      protocol,
    });
    const key = `${percentEncode(consumer.secret)}&${percentEncode(tokenSecret)}`;
    let good: boolean;
    if (method === 'HMAC-SHA1' || method === 'HMAC-SHA256') {
      const digest = createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', key)
        .update(base)
        .digest('base64');
      good = equal(digest, signature);
    } else if (method === 'RSA-SHA1') {
      if (!consumer.publicKey) return { problem: 'signature_method_rejected' };
      good = createVerify('RSA-SHA1').update(base).verify(consumer.publicKey, signature, 'base64');
    } else if (method === 'PLAINTEXT') {
      if (!tls) return { problem: 'signature_method_rejected' };
      good = equal(key, signature);
    } else {
      return { problem: 'signature_method_rejected' };
    }
    if (!good) return { problem: 'signature_invalid' };
    if (nonce !== undefined) {
      const seen = `${timestamp}|${nonce}|${consumerKey}|${token ?? ''}`;
      if (nonces.has(seen)) return { problem: 'nonce_used' };
      nonces.add(seen);
    }
    const q = (req.url ?? '').indexOf('?');
    const parameters = [
      ...formDecode(q === -1 ? '' : (req.url ?? '').slice(q + 1)),
      ...(contentType === 'application/x-www-form-urlencoded' ? formDecode(body) : []),
    ];
    return {
      protocol,
      ok: {
        method: req.method ?? 'GET',
        target: req.url ?? '/',
        signatureMethod: method,
        nonce: nonce ?? '',
        timestamp,
        token,
        parameters,
        authorization: req.headers.authorization ?? '',
      },
    };
  }

  const form = (res: http.ServerResponse, fields: Record<string, string>): true => {
    res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' });
    res.end(
      Object.entries(fields)
        .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
        .join('&'),
    );
    return true;
  };
  const json = (res: http.ServerResponse, status: number, body: unknown): true => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    return true;
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<true> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const target = req.url ?? '/';
    received.push({ method: req.method ?? 'GET', target, headers: req.headers });
    const path = target.split('?')[0]!;

    if (path === '/oauth/authorize' && req.method === 'GET') {
      const token = new URLSearchParams(target.split('?')[1] ?? '').get('oauth_token') ?? '';
      const pending = temporary.get(token);
      if (!pending) return refuse(res, 'token_rejected', 400);
      // §2.2: the verifier and the token added to the callback's own query.
      const back = new URL(pending.callback);
      if (decline) {
        decline = false;
        temporary.delete(token);
        back.searchParams.set('denied', token);
      } else {
        back.searchParams.set('oauth_token', token);
        back.searchParams.set('oauth_verifier', pending.verifier);
      }
      res.writeHead(302, { location: back.toString() });
      res.end();
      return true;
    }

    if (path === '/oauth/request_token') {
      if (req.method !== 'POST') return refuse(res, 'method_rejected', 405);
      const result = verify(req, body, (token) => (token === undefined ? '' : undefined));
      if ('problem' in result) return refuse(res, result.problem);
      const callback = result.protocol.get('oauth_callback');
      if (!callback || (callback !== 'oob' && !URL.canParse(callback))) return refuse(res, 'parameter_absent', 400);
      verified.push(result.ok);
      const token = randomBytes(10).toString('hex');
      const consumerKey = result.protocol.get('oauth_consumer_key')!;
      temporary.set(token, {
        secret: randomBytes(10).toString('hex'),
        consumerKey,
        callback,
        verifier: randomBytes(8).toString('hex'),
      });
      temporarySecrets.push(temporary.get(token)!.secret);
      return form(res, {
        oauth_token: token,
        oauth_token_secret: temporary.get(token)!.secret,
        oauth_callback_confirmed: 'true',
      });
    }

    if (path === '/oauth/access_token') {
      if (req.method !== (options.accessTokenByGet ? 'GET' : 'POST')) return refuse(res, 'method_rejected', 405);
      const result = verify(req, body, (token) => (token === undefined ? undefined : temporary.get(token)?.secret));
      if ('problem' in result) return refuse(res, result.problem);
      const token = result.protocol.get('oauth_token')!;
      const pending = temporary.get(token)!;
      if (pending.consumerKey !== result.protocol.get('oauth_consumer_key')) return refuse(res, 'token_rejected');
      if (result.protocol.get('oauth_verifier') !== pending.verifier) return refuse(res, 'verifier_invalid');
      temporary.delete(token);
      verified.push(result.ok);
      const issued = randomBytes(12).toString('hex');
      access.set(issued, { secret: `ts-${randomBytes(12).toString('hex')}`, consumerKey: pending.consumerKey });
      return form(res, { oauth_token: issued, oauth_token_secret: access.get(issued)!.secret, user_id: 'u-42' });
    }

    // The protected API: every request signed with token credentials.
    const result = verify(req, body, (token) => (token === undefined ? undefined : access.get(token)?.secret));
    if ('problem' in result) return refuse(res, result.problem);
    verified.push(result.ok);
    if (forbiddenPaths.has(path)) return json(res, 401, { message: 'unauthorized permission requested' });
    if (path.endsWith('/members/me')) return json(res, 200, { id: 'member-7', username: 'ann.oauth1' });
    if (path.endsWith('/redirect')) {
      res.writeHead(302, { location: new URLSearchParams(target.split('?')[1] ?? '').get('to') ?? '/' });
      res.end();
      return true;
    }
    return json(res, 200, {
      method: result.ok.method,
      target: result.ok.target,
      signatureMethod: result.ok.signatureMethod,
      parameters: result.ok.parameters,
    });
  }

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  };
  const server = options.tls ? https.createServer(options.tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    consumers,
    access,
    temporarySecrets,
    verified,
    refusals,
    received,
    forbiddenPaths,
    declineNext: () => {
      decline = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
