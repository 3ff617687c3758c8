import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/ids.ts';
import { ConnectionsRepository, CREDENTIALS_COLUMNS } from '../../src/store/repositories/connections.ts';
import { connectionRow } from '../helpers/connection-row.ts';
import { dialects, type TestStore } from '../helpers/store.ts';

// The token path's read names SQLite's array of values by hand (an object literal is cheaper than a
// loop): a column out of place there would hand one column's value to another, so each is distinct here.
describe.each(dialects)("the token path's read on $name", ({ open }) => {
  let store: TestStore;
  let repository: ConnectionsRepository;
  let teamId: string;

  beforeEach(async () => {
    store = await open();
    repository = new ConnectionsRepository(store);
    teamId = newId();
    await store.db.insertInto('teams').values({ id: teamId, name: 'Team', created_at: 1 }).execute();
  });
  afterEach(async () => {
    await store.destroy();
  });

  it('returns exactly the credentials columns, each with its own value', async () => {
    const row = connectionRow(teamId, {
      app: 'bench-app',
      auth: 'oauth2-custom',
      status: 'reauthorization_required',
      data: '{"parameters":{"region":"eu"}}',
      secrets_enc: 'v1.key.nonce.sealed',
      credentials_version: 7,
      expires_at: 1_800_000_000_001,
      next_refresh_at: 1_800_000_000_002,
      last_error: '{"message":"The grant was revoked."}',
    });
    await store.db.insertInto('connections').values(row).execute();

    const read = await repository.credentialsById(row.id);
    const whole = await repository.byId(row.id);
    expect(Object.keys(read!)).toEqual([...CREDENTIALS_COLUMNS]);
    expect(read).toEqual(Object.fromEntries(CREDENTIALS_COLUMNS.map((column) => [column, whole![column]])));
    expect(read).toMatchObject({
      id: row.id,
      team_id: teamId,
      app: 'bench-app',
      auth: 'oauth2-custom',
      status: 'reauthorization_required',
      credentials_version: 7,
      expires_at: 1_800_000_000_001,
      next_refresh_at: 1_800_000_000_002,
      last_error: '{"message":"The grant was revoked."}',
    });
    expect(await repository.credentialsById(newId())).toBeUndefined();
  });
});
