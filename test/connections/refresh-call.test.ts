/**
 * A refresh's call (server, client, options) is made once per shared, frozen settings
 * object and reused by every connection that shares it; each settings object still
 * reaches its own endpoint with its own client, and one that is not frozen is read anew.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createOAuth2Protocol } from '../../src/connections/kinds/oauth2.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import type { Outbound } from '../../src/outbound/types.ts';
import { CLIENT_SECRET, settings } from '../helpers/oauth2-settings.ts';

/** RFC 6749 §6: what each refresh request carried, by path. */
interface Received {
  path: string;
  grantType: string | null;
  refreshToken: string | null;
  clientId: string | null;
  clientSecret: string | null;
}

describe('refresh calls made once per shared settings', () => {
  const received: Received[] = [];
  let server: http.Server;
  let origin: string;
  let outbound: Outbound;
  const network = loadConfig({ DATA_DIR: '/tmp', HITCH_ALLOW_PRIVATE_NETWORK: 'true' }).network;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        received.push({
          path: req.url ?? '',
          grantType: form.get('grant_type'),
          refreshToken: form.get('refresh_token'),
          clientId: form.get('client_id'),
          clientSecret: form.get('client_secret'),
        });
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ access_token: `at-${received.length}`, token_type: 'Bearer', expires_in: 3600 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    outbound = createOutbound({ network });
  });
  afterAll(async () => {
    await outbound.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends each settings object’s own endpoint and client, frozen or not, refresh after refresh', async () => {
    const protocol = createOAuth2Protocol({ outbound, network });
    const first = Object.freeze(
      settings({
        tokenUrl: `${origin}/one/token`,
        client: { clientId: 'one', clientSecret: 'secret-one', own: false },
      }),
    );
    const second = Object.freeze(
      settings({
        tokenUrl: `${origin}/two/token`,
        refreshUrl: `${origin}/two/refresh`,
        client: { clientId: 'two', clientSecret: 'secret-two', own: false },
      }),
    );
    const changing = settings({ tokenUrl: `${origin}/three/token` });
    expect((await protocol.refresh(first, 'rt-1')).accessToken).toBe('at-1');
    expect((await protocol.refresh(second, 'rt-2')).accessToken).toBe('at-2');
    expect((await protocol.refresh(first, 'rt-3')).accessToken).toBe('at-3');
    await protocol.refresh(changing, 'rt-4');
    changing.tokenUrl = `${origin}/four/token`;
    await protocol.refresh(changing, 'rt-5');
    expect(received).toEqual([
      {
        path: '/one/token',
        grantType: 'refresh_token',
        refreshToken: 'rt-1',
        clientId: 'one',
        clientSecret: 'secret-one',
      },
      {
        path: '/two/refresh',
        grantType: 'refresh_token',
        refreshToken: 'rt-2',
        clientId: 'two',
        clientSecret: 'secret-two',
      },
      {
        path: '/one/token',
        grantType: 'refresh_token',
        refreshToken: 'rt-3',
        clientId: 'one',
        clientSecret: 'secret-one',
      },
      {
        path: '/three/token',
        grantType: 'refresh_token',
        refreshToken: 'rt-4',
        clientId: 'hitch-client',
        clientSecret: CLIENT_SECRET,
      },
      {
        path: '/four/token',
        grantType: 'refresh_token',
        refreshToken: 'rt-5',
        clientId: 'hitch-client',
        clientSecret: CLIENT_SECRET,
      },
    ]);
  });
});
