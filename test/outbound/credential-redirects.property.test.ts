/**
 * For every placement kind and every redirect status: a redirect to another
 * origin carries none of the request's credentials (nor does any later hop,
 * even one that comes back), and a redirect on the same origin still carries
 * them. Against a "good" (127.0.0.1) and an "evil" (127.0.0.2) host, with the
 * default network policy and only those two hosts allowed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHitchError } from '../../src/errors.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import type { Outbound, OutboundRequest, PlacedCredential } from '../../src/outbound/types.ts';
import {
  EVIL_HOST,
  GOOD_HOST,
  makeTwoHostPki,
  redirectVia,
  spellings,
  startOrigin,
  twoHostPolicy,
  type Origin,
} from '../helpers/origins.ts';
import type { Pki } from '../helpers/pki.ts';

const STATUSES = [301, 302, 303, 307, 308] as const;
const HTTP_RUNS = 300;
const TLS_RUNS = 40;

type Kind = 'header' | 'customHeader' | 'query' | 'basic' | 'bearerBoth';
type Chain = 'same' | 'cross' | 'crossBack';

/** What a kind puts on a request, and the secret whose every spelling must stay off the evil host. */
function credentialsOf(kind: Kind, secret: string, name: string): { credentials: PlacedCredential[]; user?: string } {
  switch (kind) {
    case 'header':
      return { credentials: [{ in: 'header', name: 'Authorization', value: `Bearer ${secret}` }] };
    case 'customHeader':
      return { credentials: [{ in: 'header', name, value: secret }] };
    case 'query':
      return { credentials: [{ in: 'query', name, value: secret }] };
    case 'basic':
      return {
        credentials: [
          { in: 'header', name: 'Authorization', value: `Basic ${Buffer.from(`robot:${secret}`).toString('base64')}` },
        ],
        user: 'robot',
      };
    case 'bearerBoth':
      return {
        credentials: [
          { in: 'header', name: 'Authorization', value: `Bearer ${secret}` },
          { in: 'query', name, value: secret },
        ],
      };
  }
}

function leaks(text: string, secret: string, user?: string): string[] {
  const forms = [...spellings(secret), ...(user ? spellings(`${user}:${secret}`) : [])];
  return forms.filter((form) => text.includes(form));
}

const secretArb = fc.stringMatching(/^[A-Za-z0-9_-]{16,40}$/);
const headerNameArb = fc.constantFrom('X-Api-Key', 'X-Shopify-Access-Token', 'Api-Token', 'X-Auth', 'Private-Token');
const queryNameArb = fc.constantFrom('hapikey', 'api_key', 'key', 'auth', 'x', 'token_x');

describe('credentials and redirects', { timeout: 120_000 }, () => {
  let good: Origin;
  let evil: Origin;
  let outbound: Outbound;

  beforeAll(async () => {
    good = await startOrigin(GOOD_HOST);
    evil = await startOrigin(EVIL_HOST);
    outbound = createOutbound({ network: twoHostPolicy });
  });
  afterAll(async () => {
    await outbound.close();
    await good.close();
    await evil.close();
  });

  it(`drops every placement kind on a change of origin and keeps it on the same origin (${HTTP_RUNS} cases)`, async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Kind>('header', 'customHeader', 'query', 'basic', 'bearerBoth'),
        fc.constantFrom(...STATUSES),
        fc.constantFrom<Chain>('same', 'cross', 'crossBack'),
        fc.constantFrom('GET', 'POST'),
        fc.boolean(),
        secretArb,
        headerNameArb,
        queryNameArb,
        async (kind, status, chain, method, echo, secret, headerName, queryName) => {
          good.reset();
          evil.reset();
          cases++;
          const { credentials, user } = credentialsOf(kind, secret, kind === 'customHeader' ? headerName : queryName);
          const back = `${good.origin}/back`;
          const target =
            chain === 'same'
              ? '/landing'
              : chain === 'cross'
                ? `${evil.origin}/landing`
                : redirectVia(evil, back, status);
          const request: OutboundRequest = {
            url: redirectVia(good, target, status, { page: '2' }, echo),
            method,
            credentials,
            ...(method === 'POST'
              ? { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }
              : {}),
          };
          const response = await outbound.request(request);
          expect(response.status).toBe(200);
          // The URL handed back to the caller never holds a query credential.
          expect(leaks(response.url, secret)).toEqual([]);

          // The first hop always carried them.
          const first = good.received[0]!;
          expect(leaks(`${first.url}\n${JSON.stringify(first.headers)}`, secret, user).length).toBeGreaterThan(0);

          if (chain === 'same') {
            expect(good.received).toHaveLength(2);
            const second = good.received[1]!;
            const url = new URL(second.url, good.origin);
            for (const c of credentials) {
              if (c.in === 'header') expect(second.headers[c.name.toLowerCase()]).toBe(c.value);
              else if (c.in === 'query') expect(url.searchParams.getAll(c.name)).toEqual([c.value]);
            }
          } else {
            expect(leaks(evil.everything(), secret, user), `evil saw ${kind} after ${status}`).toEqual([]);
            expect(evil.received.every((r) => r.headers.authorization === undefined)).toBe(true);
            if (chain === 'crossBack') {
              expect(good.received).toHaveLength(2);
              expect(
                leaks(`${good.received[1]!.url}\n${JSON.stringify(good.received[1]!.headers)}`, secret, user),
                'the hop back to the first origin',
              ).toEqual([]);
            }
          }
        },
      ),
      { numRuns: HTTP_RUNS },
    );
    expect(cases).toBe(HTTP_RUNS);
  });
});

describe('client certificates and redirects', { timeout: 120_000 }, () => {
  let pki: Pki;
  let good: Origin;
  let evilTls: Origin;
  let evilPlain: Origin;
  let outbound: Outbound;

  beforeAll(async () => {
    pki = makeTwoHostPki();
    good = await startOrigin(GOOD_HOST, { pki });
    evilTls = await startOrigin(EVIL_HOST, { pki });
    evilPlain = await startOrigin(EVIL_HOST);
    outbound = createOutbound({ network: twoHostPolicy });
  });
  afterAll(async () => {
    await outbound.close();
    await Promise.all([good.close(), evilTls.close(), evilPlain.close()]);
    pki.cleanup();
  });

  it(`shows the certificate on the same origin only, never after the chain left it (${TLS_RUNS} cases)`, async () => {
    const tls = { cert: pki.clientCert, key: pki.clientKey, ca: pki.caCert };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...STATUSES),
        fc.constantFrom<Chain>('same', 'cross', 'crossBack'),
        fc.constantFrom('GET', 'POST'),
        async (status, chain, method) => {
          for (const o of [good, evilTls, evilPlain]) o.reset();
          // Coming back goes through a plain-http evil host, so only the way back decides whether the certificate is shown again.
          const target =
            chain === 'same'
              ? '/landing'
              : chain === 'cross'
                ? `${evilTls.origin}/landing`
                : redirectVia(evilPlain, `${good.origin}/back`, status);
          const outcome = await outbound
            .request({
              url: redirectVia(good, target, status),
              method,
              tls,
              ...(method === 'POST' ? { body: 'a=1' } : {}),
            })
            .catch((e: unknown) => e);
          expect(good.received[0]?.clientCertificate).toBe(true);
          if (chain === 'same') {
            expect((outcome as { status: number }).status).toBe(200);
            expect(good.received).toHaveLength(2);
            expect(good.received[1]?.clientCertificate).toBe(true);
            return;
          }
          // Elsewhere neither the certificate nor the CA trusted with it goes along: the evil host cannot be
          // verified against Node's trust store, so the hop fails before any certificate could be shown.
          expect(isHitchError(outcome, 'upstream_unreachable'), String(outcome)).toBe(true);
          expect(evilTls.clientCertificates.some(Boolean)).toBe(false);
          expect(evilTls.received).toHaveLength(0);
          // Back on the first origin, the chain no longer holds the certificate: no request arrives as the client.
          expect(good.received.slice(1).some((r) => r.clientCertificate)).toBe(false);
        },
      ),
      { numRuns: TLS_RUNS },
    );
  });
});
