import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type Pki } from '../helpers/pki.ts';
import { startOAuth1Provider, type OAuth1Provider } from '../peers/oauth1-provider.ts';

/**
 * PLAINTEXT (RFC 5849 §3.4.4) sends the secrets themselves, so only over TLS: the
 * three legs and a signed call against the provider on https, in a child process
 * that trusts the test CA from start-up (NODE_EXTRA_CA_CERTS), as Hitch would.
 */
describe('PLAINTEXT signatures over TLS', () => {
  const consumer = { key: 'plain-consumer', secret: 'plain secret&+~' };
  let pki: Pki;
  let provider: OAuth1Provider;
  beforeAll(async () => {
    pki = makePki();
    provider = await startOAuth1Provider({
      consumers: { [consumer.key]: { secret: consumer.secret } },
      tls: { key: pki.serverKey, cert: pki.serverCert },
    });
  });
  afterAll(async () => {
    await provider.close();
    pki.cleanup();
  });

  it('go through the three legs and sign a call that the provider accepts', async () => {
    const script = fileURLToPath(new URL('./fixtures/plaintext-over-tls.ts', import.meta.url));
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: path.join(pki.dir, 'ca.pem') };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', script, provider.origin, consumer.key, consumer.secret],
      { env, encoding: 'utf8' },
    );
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(result).toEqual({ state: 's1', status: 200, body: { id: 'member-7', username: 'ann.oauth1' } });
    expect(provider.verified.map((v) => v.signatureMethod)).toEqual(['PLAINTEXT', 'PLAINTEXT', 'PLAINTEXT']);
    expect(provider.refusals).toEqual([]);
  });
});
