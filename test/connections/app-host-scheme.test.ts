/**
 * App host allow-lists compare the scheme as well as the host: a module or
 * verify URL may not take an app's https host down to http, where its
 * credentials would travel in clear.
 */
import { describe, expect, it } from 'vitest';
import { resolveApiKey } from '../../src/catalog/resolve.ts';
import type { ApiKeyKindDefinition } from '../../src/catalog/schema.ts';
import { targetUrl } from '../../src/connections/connection-client.ts';
import { isHitchError } from '../../src/errors.ts';

const refused = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return isHitchError(error, 'validation_failed') ? (error as Error).message : `unexpected ${String(error)}`;
  }
  return 'accepted';
};

describe('app hosts keep their scheme', () => {
  it('reaches an app host over https only', () => {
    const hosts = ['upload.example.com', 'files.example.com:8443'];
    expect(targetUrl('https://api.example.com', 'https://upload.example.com/x', hosts).href).toBe(
      'https://upload.example.com/x',
    );
    expect(targetUrl('https://api.example.com', 'https://files.example.com:8443/x', hosts).host).toBe(
      'files.example.com:8443',
    );
    for (const downgraded of [
      'http://upload.example.com/x',
      'http://files.example.com:8443/x',
      'http://api.example.com/x',
    ]) {
      expect(refused(() => targetUrl('https://api.example.com', downgraded, hosts))).toMatch(/https:\/\/.*in clear/);
    }
    // An entry written as an origin names its own scheme.
    expect(
      targetUrl('https://api.example.com', 'http://legacy.example.com/x', ['http://legacy.example.com']).protocol,
    ).toBe('http:');
  });

  it('refuses a verify URL that downgrades the base URL’s https host', () => {
    const kind = {
      type: 'apiKey',
      keys: [{ parameter: 'key', in: 'header', name: 'X-Api-Key', prefix: '' }],
      baseUrl: '{{baseUrl}}',
      verify: { method: 'GET', url: '{{verifyUri}}', accountId: [], accountLabel: [] },
      parameters: [],
    } as unknown as ApiKeyKindDefinition;
    const settings = (baseUrl: string, verifyUri: string) => () =>
      resolveApiKey(kind, { values: { baseUrl, verifyUri }, secrets: { key: 'k-0123456789' } });
    expect(refused(settings('https://api.example.com', 'http://api.example.com/me'))).toMatch(/https:\/\/.*in clear/);
    expect(refused(settings('https://api.example.com', 'https://api.example.com/me'))).toBe('accepted');
    expect(refused(settings('http://127.0.0.1:8080', 'http://127.0.0.1:8080/me'))).toBe('accepted');
  });
});
