/**
 * `lastError.action`: what a connection's last error asks a person to do, said by
 * the API (the web app shows it as a button or a sentence and keeps no list of
 * its own). The failures come from a real token endpoint (oidc-provider) behind
 * a service that answers as broken ones do (RFC 6749 §5.2 errors, a 503).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionUpdate } from '../../src/store/schema.ts';
import { connect, getConnection, openOAuthWorld, type OAuthWorld } from '../connections/harness.ts';
import { dialects } from '../helpers/store.ts';
import { maybe } from '../helpers/maybe.ts';
import { startFaultyService, type Fault, type FaultyService } from '../peers/faulty-service.ts';
import { startOAuthServer, type OAuthServer } from '../peers/oauth-server.ts';
import { PUBLIC_URL } from './app.ts';

let server: OAuthServer;
let faulty: FaultyService;
beforeAll(async () => {
  server = await startOAuthServer({ redirectUris: [`${PUBLIC_URL}/oauth/callback`], accessTokenTtlSeconds: 600 });
  faulty = await startFaultyService({ '/token': server.tokenEndpoint });
});
afterAll(async () => {
  await maybe(faulty)?.close();
  await maybe(server)?.close();
});

describe.each(dialects)('the action a last error calls for, on $name', ({ open }) => {
  let w: OAuthWorld;
  beforeAll(async () => {
    w = await openOAuthWorld(open, { sharedServer: server, appOverrides: { tokenUrl: faulty.url('/token') } });
  });
  afterAll(async () => {
    faulty.heal();
    await maybe(w)?.close();
  });

  /** An active connection whose next renewal meets `fault` at the token endpoint. */
  async function renewalMeets(fault: Fault): Promise<string> {
    faulty.heal();
    const { id } = await connect(w);
    await w.t.store.db
      .updateTable('connections')
      .set({ next_refresh_at: Date.now() - 1 } satisfies ConnectionUpdate)
      .where('id', '=', id)
      .execute();
    faulty.arm('/token', fault);
    w.t.connections.credentials.cache.clear();
    await w.t.connections.credentials.get(id).catch(() => undefined);
    faulty.heal();
    return id;
  }

  const listed = async (id: string) => {
    const page = await w.t.app.inject({ method: 'GET', url: '/api/v1/connections', headers: { cookie: w.cookie } });
    return page.json<{ items: Array<{ id: string; lastError: unknown }> }>().items.find((c) => c.id === id);
  };

  it.each([
    // Trouble that may pass: the connection stays active, and Verify tries again.
    { fault: 'status_503_retry_after', status: 'active', code: expect.any(String), action: 'verify' },
    // The service no longer accepts the grant.
    { fault: 'invalid_grant', status: 'reauthorization_required', code: 'invalid_grant', action: 'reauthorize' },
    // The service refuses Hitch's OAuth client: no one gets past that by reauthorizing.
    { fault: 'invalid_client', status: 'error', code: 'invalid_client', action: 'admin' },
  ] as const)('a renewal meeting $fault asks to $action', async ({ fault, status, code, action }) => {
    const id = await renewalMeets(fault);
    const { body } = await getConnection(w, id);
    expect(body.status).toBe(status);
    expect(body.lastError).toMatchObject({ code, message: expect.stringMatching(/\S/), action });
    // The table's listing says the same.
    expect((await listed(id))?.lastError).toEqual(body.lastError);
  });

  it('says what each action means in the OpenAPI document, as a closed list', async () => {
    const document = (
      await w.t.app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: { cookie: w.cookie } })
    ).json<{ paths: Record<string, Record<string, unknown>> }>();
    const text = JSON.stringify(document.paths['/api/v1/connections/{id}']);
    expect(text).toContain('"enum":["reauthorize","verify","admin"]');
  });
});
