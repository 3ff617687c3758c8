import { randomBytes } from 'node:crypto';
import { connectionRow } from '../helpers/connection-row.ts';
import { newId } from '../../src/ids.ts';
import type { Store } from '../../src/store/database.ts';
import type { SecretContext, Vault } from '../../src/vault/types.ts';

export const newMasterKey = (): Buffer => randomBytes(32);

export const connectionSecrets = (id: string): SecretContext => ({ table: 'connections', id, field: 'secrets' });
export const flowPayload = (stateHash: string): SecretContext => ({
  table: 'oauth_flows',
  id: stateHash,
  field: 'payload',
});

export async function insertTeam(store: Store): Promise<string> {
  const id = newId();
  await store.db.insertInto('teams').values({ id, name: 'Ops', created_at: Date.now() }).execute();
  return id;
}

/** A connection row whose secrets are encrypted as its repository would. */
export async function insertConnection(
  store: Store,
  vault: Vault,
  teamId: string,
  secrets: Record<string, string>,
): Promise<string> {
  const id = newId();
  await store.db
    .insertInto('connections')
    .values(connectionRow(teamId, { id, secrets_enc: vault.encryptJson(secrets, connectionSecrets(id)) }))
    .execute();
  return id;
}

export async function insertFlow(
  store: Store,
  vault: Vault,
  connectionId: string,
  teamId: string,
  payload: Record<string, string>,
): Promise<string> {
  const stateHash = randomBytes(32).toString('hex');
  const now = Date.now();
  await store.db
    .insertInto('oauth_flows')
    .values({
      state_hash: stateHash,
      connection_id: connectionId,
      team_id: teamId,
      user_id: newId(),
      purpose: 'create',
      payload_enc: vault.encryptJson(payload, flowPayload(stateHash)),
      issuer: null,
      expires_at: now + 600_000,
      created_at: now,
    })
    .execute();
  return stateHash;
}

export async function storedSecrets(store: Store, id: string): Promise<string> {
  const row = await store.db
    .selectFrom('connections')
    .select('secrets_enc')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.secrets_enc!;
}

export async function storedPayload(store: Store, stateHash: string): Promise<string> {
  const row = await store.db
    .selectFrom('oauth_flows')
    .select('payload_enc')
    .where('state_hash', '=', stateHash)
    .executeTakeFirstOrThrow();
  return row.payload_enc;
}
