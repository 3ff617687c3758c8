import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowContext } from '../../src/connections/oauth-flows.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import { dialects } from '../helpers/store.ts';
import {
  callbackPath,
  getConnection,
  openOAuthWorld,
  startFlow,
  startSharedOAuthServer,
  type OAuthWorld,
} from './harness.ts';

/**
 * Flows in progress across a deploy: a payload written before kinds had a consent
 * step holds the PKCE verifier as `pkceVerifier`. Such a flow still completes, and
 * the verifier is really read from there (a wrong one is refused by the server).
 */
describe.each(dialects)('flow payloads written before the consent step, on $name', ({ open }) => {
  let server: OAuthServer;
  let w: OAuthWorld;

  beforeAll(async () => {
    server = await startSharedOAuthServer();
    w = await openOAuthWorld(open, { sharedServer: server });
  });
  afterAll(async () => {
    await w.close();
    await server.close();
  });

  /** Rewrites the connection's stored flow the way the previous version wrote it. */
  async function asPreviousVersion(connectionId: string, verifier?: string): Promise<void> {
    const row = await w.t.store.db
      .selectFrom('oauth_flows')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .executeTakeFirstOrThrow();
    const context = flowContext(row.state_hash);
    const { flowSecrets, ...rest } = await w.t.vault.decryptJson<{ flowSecrets: Record<string, string> }>(
      row.payload_enc,
      context,
    );
    expect(flowSecrets.pkceVerifier).toBeTypeOf('string');
    const legacy = { ...rest, pkceVerifier: verifier ?? flowSecrets.pkceVerifier };
    // Flow rows are written once and never updated: the row goes back in as it was, with the old payload.
    await w.t.store.db.deleteFrom('oauth_flows').where('state_hash', '=', row.state_hash).execute();
    await w.t.store.db
      .insertInto('oauth_flows')
      .values({ ...row, payload_enc: w.t.vault.encryptJson(legacy, context) })
      .execute();
  }

  it('completes a flow whose payload holds `pkceVerifier`', async () => {
    const { id, callbackUrl } = await startFlow(w);
    await asPreviousVersion(id);
    const callback = await w.t.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w.pageHeaders });
    expect(callback.statusCode).toBe(200);
    expect(callback.body).toContain('The connection is established.');
    expect((await getConnection(w, id)).body.status).toBe('active');
  });

  it('writes the verifier where the previous release reads it, so a rolling deploy completes either way', async () => {
    const { id } = await startFlow(w);
    const row = await w.t.store.db
      .selectFrom('oauth_flows')
      .selectAll()
      .where('connection_id', '=', id)
      .executeTakeFirstOrThrow();
    const stored = await w.t.vault.decryptJson<{ flowSecrets: Record<string, string>; pkceVerifier: string | null }>(
      row.payload_enc,
      flowContext(row.state_hash),
    );
    expect(stored.pkceVerifier).toBeTypeOf('string');
    expect(stored.pkceVerifier).toBe(stored.flowSecrets.pkceVerifier);
  });

  it('sends the stored `pkceVerifier`: a wrong one is refused at the token endpoint', async () => {
    const { id, callbackUrl } = await startFlow(w);
    await asPreviousVersion(id, 'x'.repeat(43));
    const callback = await w.t.app.inject({ method: 'GET', url: callbackPath(callbackUrl), headers: w.pageHeaders });
    expect(callback.statusCode).not.toBe(200);
    expect(callback.body).not.toContain('The connection is established.');
    expect((await getConnection(w, id)).body.status).toBe('pending');
  });
});
