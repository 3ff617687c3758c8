import { generateKeyPairSync } from 'node:crypto';
import { generateBase } from 'oauth-sign';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOAuth1Signature } from '../../src/auth/inject.ts';
import {
  buildAuthorizationUrl,
  temporaryCredentialsRequest,
  tokenCredentialsRequest,
  validateAuthorizationCallback,
} from '../../src/auth/oauth1/index.ts';
import {
  authorizationHeader,
  baseStringUri,
  signatureParameters,
  signRequest,
  type OAuth1Client,
} from '../../src/auth/oauth1/signature.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import type { Outbound } from '../../src/outbound/types.ts';
import { startServer } from '../connections/kinds-harness.ts';
import { baseString, startOAuth1Provider, type OAuth1Provider } from '../peers/oauth1-provider.ts';

/**
 * Signing (RFC 5849 §3.4) as the service checks it: Hitch's signer, placed by the
 * outbound client, against a provider that builds its own base string from the
 * request it received.
 */

const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const consumerSecret = 'c0nsumer s3cret+~*&ä';
const token = { token: 'access-token-123', tokenSecret: 'token-secret ~*+ü' };
const client = (signatureMethod: OAuth1Client['signatureMethod']): OAuth1Client => ({
  consumerKey: 'consumer-key',
  signatureMethod,
  consumerSecret: signatureMethod === 'RSA-SHA1' ? '' : consumerSecret,
  privateKey: signatureMethod === 'RSA-SHA1' ? privateKey : undefined,
});

describe('the signature base string (RFC 5849 §3.4.1)', () => {
  // §3.4.1.1's example request, and the base string the RFC gives for it.
  const expected =
    'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7';
  const protocol = {
    oauth_consumer_key: '9djdj82h48djs9d2',
    oauth_token: 'kkk9d7dh3k39sjv7',
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: '137131201',
    oauth_nonce: '7d8f3e4a',
  };

  it('is the RFC’s for its example, as Hitch builds it and as the test provider does', () => {
    const url = new URL('http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b');
    const ours = generateBase(
      'POST',
      baseStringUri(url),
      signatureParameters({ method: 'POST', url, form: 'c2&a3=2+q' }, protocol),
    );
    expect(ours).toBe(expected);
    const theirs = baseString({
      method: 'POST',
      scheme: 'http',
      host: 'EXAMPLE.COM:80',
      target: '/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
      form: 'c2&a3=2+q',
      protocol: new Map(Object.entries({ ...protocol, realm: 'Example', oauth_signature: 'x' })),
    });
    expect(theirs).toBe(expected);
  });

  it('keeps a port that is not the scheme’s default, and lowers the scheme and host', () => {
    expect(baseStringUri(new URL('HTTP://Example.COM:8080/r%20v/x?y=1#f'))).toBe('http://example.com:8080/r%20v/x');
    expect(baseStringUri(new URL('https://example.com:443/'))).toBe('https://example.com/');
  });

  it('refuses PLAINTEXT over plain http and RSA-SHA1 without a key', () => {
    const request = { method: 'GET', url: new URL('http://example.com/'), form: null };
    expect(() => signRequest(request, client('PLAINTEXT'), token)).toThrow(/https/);
    expect(() => signRequest(request, { ...client('RSA-SHA1'), privateKey: undefined }, token)).toThrow(/private key/);
  });

  it('writes the Authorization header as §3.5.1 says, realm first and every value encoded', () => {
    expect(authorizationHeader({ oauth_token: 'a b', oauth_nonce: 'n~' }, 'Photos')).toBe(
      'OAuth realm="Photos", oauth_token="a%20b", oauth_nonce="n~"',
    );
  });
});

describe('signed requests through the outbound client, checked by an RFC 5849 provider', () => {
  let provider: OAuth1Provider;
  let outbound: Outbound;
  beforeAll(async () => {
    provider = await startOAuth1Provider({ consumers: { 'consumer-key': { secret: consumerSecret, publicKey } } });
    provider.access.set(token.token, { secret: token.tokenSecret, consumerKey: 'consumer-key' });
    outbound = createOutbound({ network: { allowPrivateNetwork: true, allowedHosts: [] } });
  });
  afterAll(async () => {
    await outbound.close();
    await provider.close();
  });

  // Spaces, `+`, `~`, `*`, reserved characters, non-ASCII and a repeated name, in the query and in a form body.
  const query = '?q=a%20b%2Bc&q=%7E*!&z=%C3%9F%F0%9F%98%80&plus=1+2&empty=&flag';
  const form = new URLSearchParams([
    ['text', 'hello world & more+'],
    ['text', '~*()'],
    ['ünï', 'çødé'],
  ]).toString();

  for (const method of ['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1'] as const) {
    it(`is accepted with ${method}, covering the query and a form body`, async () => {
      const signature = placeOAuth1Signature(client(method), token);
      const get = await outbound.request({ url: `${provider.origin}/1/echo/a~b${query}`, credentials: [signature] });
      expect(get.status, get.text()).toBe(200);
      expect((get.json() as { parameters: unknown }).parameters).toEqual([
        ['q', 'a b+c'],
        ['q', '~*!'],
        ['z', 'ß😀'],
        ['plus', '1 2'],
        ['empty', ''],
        ['flag', ''],
      ]);
      const post = await outbound.request({
        url: `${provider.origin}/1/echo?x=1`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: form,
        credentials: [signature],
      });
      expect(post.status, post.text()).toBe(200);
      expect((post.json() as { parameters: unknown[] }).parameters).toHaveLength(4);
      // A JSON body is not part of the signature, and the provider does not read it.
      const json = await outbound.request({
        url: `${provider.origin}/1/echo`,
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'a&b=c' }),
        credentials: [signature],
      });
      expect(json.status, json.text()).toBe(200);
      expect(provider.verified.at(-1)!.signatureMethod).toBe(method);
    });
  }

  it('is refused with a wrong secret, a replayed nonce or a stale timestamp', async () => {
    const wrong = placeOAuth1Signature({ ...client('HMAC-SHA1'), consumerSecret: 'not-the-secret' }, token);
    const refused = await outbound.request({ url: `${provider.origin}/1/echo`, credentials: [wrong] });
    expect(refused.status).toBe(401);
    expect(provider.refusals.at(-1)).toBe('signature_invalid');

    const good = placeOAuth1Signature(client('HMAC-SHA1'), token);
    expect((await outbound.request({ url: `${provider.origin}/1/echo`, credentials: [good] })).status).toBe(200);
    const replay = await fetch(`${provider.origin}/1/echo`, {
      headers: { authorization: provider.verified.at(-1)!.authorization },
    });
    expect(replay.status).toBe(401);
    expect(provider.refusals.at(-1)).toBe('nonce_used');

    const url = new URL(`${provider.origin}/1/echo`);
    const stale = signRequest(
      { method: 'GET', url, form: null },
      client('HMAC-SHA1'),
      token,
      {},
      Date.now() - 3_600_000,
    );
    const late = await fetch(url, { headers: { authorization: authorizationHeader(stale) } });
    expect(late.status).toBe(401);
    expect(provider.refusals.at(-1)).toBe('timestamp_refused');
  });

  it('signs a same-origin redirect again with a fresh nonce, and sends nothing after an origin change', async () => {
    const elsewhere: Array<string | undefined> = [];
    const other = await startServer((req, res) => {
      elsewhere.push(req.headers.authorization);
      res.end('{}');
    });
    try {
      const signature = placeOAuth1Signature(client('HMAC-SHA256'), token);
      const before = provider.verified.length;
      const same = await outbound.request({
        url: `${provider.origin}/1/redirect?to=${encodeURIComponent('/1/echo?after=redirect')}`,
        credentials: [signature],
      });
      expect(same.status).toBe(200);
      const hops = provider.verified.slice(before);
      expect(hops.map((h) => h.target)).toEqual([
        `/1/redirect?to=${encodeURIComponent('/1/echo?after=redirect')}`,
        '/1/echo?after=redirect',
      ]);
      expect(hops[0]!.nonce).not.toBe(hops[1]!.nonce);

      const away = await outbound.request({
        url: `${provider.origin}/1/redirect?to=${encodeURIComponent(`${other.url}/x`)}`,
        credentials: [signature],
      });
      expect(away.status).toBe(200);
      expect(elsewhere).toEqual([undefined]);
    } finally {
      await other.close();
    }
  });

  it('refuses to stream a form body it would have to sign', async () => {
    const { Readable } = await import('node:stream');
    await expect(
      outbound.request({
        url: `${provider.origin}/1/echo`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: Readable.from([Buffer.from('a=1')]),
        credentials: [placeOAuth1Signature(client('HMAC-SHA1'), token)],
      }),
    ).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('cannot be streamed') });
  });
});

describe('the three legs (RFC 5849 §2) where the service says GET', () => {
  it('asks for the access token with a signed GET when the app says so (Tumblr)', async () => {
    const provider = await startOAuth1Provider({
      consumers: { 'consumer-key': { secret: consumerSecret } },
      accessTokenByGet: true,
    });
    const outbound = createOutbound({ network: { allowPrivateNetwork: true, allowedHosts: [] } });
    try {
      const temporary = await temporaryCredentialsRequest(outbound, {
        url: `${provider.origin}/oauth/request_token`,
        client: client('HMAC-SHA1'),
        callback: 'https://hitch.example/oauth/callback?state=s',
      });
      const consent = await outbound.request({
        url: buildAuthorizationUrl(`${provider.origin}/oauth/authorize`, temporary.token),
        maxRedirects: 0,
      });
      const verifier = validateAuthorizationCallback(new URL(consent.headers.location!).searchParams, temporary.token);
      const input = { url: `${provider.origin}/oauth/access_token`, client: client('HMAC-SHA1'), temporary, verifier };
      // The RFC's POST is refused by this service; its documented GET is signed and accepted.
      await expect(tokenCredentialsRequest(outbound, input)).rejects.toMatchObject({ kind: 'rejected', status: 405 });
      const issued = await tokenCredentialsRequest(outbound, { ...input, method: 'GET' });
      expect(provider.access.get(issued.token)?.secret).toBe(issued.tokenSecret);
      expect(issued.raw.get('user_id')).toBe('u-42');
    } finally {
      await outbound.close();
      await provider.close();
    }
  });
});
