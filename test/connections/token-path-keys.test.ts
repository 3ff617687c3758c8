import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.ts';
import { loadConfig } from '../../src/config.ts';
import { createConnections, type Connections } from '../../src/connections/index.ts';
import { secretContext } from '../../src/connections/model.ts';
import { createLogger } from '../../src/log.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import type { Outbound } from '../../src/outbound/types.ts';
import { createVault } from '../../src/vault/vault.ts';
import type { Vault, VaultAdmin } from '../../src/vault/types.ts';
import { connectionRow } from '../helpers/connection-row.ts';
import { dialects, type TestStore } from '../helpers/store.ts';
import { insertTeam } from '../vault/fixtures.ts';

describe.each(dialects)('the token path and data keys on $name', ({ open }) => {
  let store: TestStore;
  let vault: Vault & VaultAdmin;
  let connections: Connections;
  let outbound: Outbound;
  let dataDir: string;
  const masterKey = randomBytes(32);

  beforeEach(async () => {
    store = await open();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-keys-'));
    vault = await createVault({ store, masterKey, reloadIntervalMs: 0 });
    const log = createLogger('silent');
    const config = loadConfig({ DATA_DIR: dataDir, HITCH_MASTER_KEY: randomBytes(32).toString('base64') });
    outbound = createOutbound({ network: config.network, log });
    const catalog = loadCatalog({ appsDir: null, env: {} });
    connections = createConnections({ config, store, vault, outbound, catalog, log, env: {} });
  });

  afterEach(async () => {
    vault.close();
    await outbound.close();
    await store.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('places secrets that another instance sealed under a data key it rotated to after this one started', async () => {
    const teamId = await insertTeam(store);
    const other = await createVault({ store, masterKey, reloadIntervalMs: 0 });
    await other.rotateDataKey();
    const row = connectionRow(teamId);
    const secrets = { accessToken: `gho_${randomBytes(8).toString('hex')}`, tokenType: 'bearer', parameters: {} };
    await store.db
      .insertInto('connections')
      .values({ ...row, secrets_enc: other.encryptJson(secrets, secretContext(row.id)) })
      .execute();
    other.close();

    const credentials = await connections.credentials.get(row.id);
    expect(credentials.placed).toEqual([
      { in: 'header', name: 'Authorization', value: `Bearer ${secrets.accessToken}` },
    ]);
    // Having loaded the new key, this instance seals with it from now on.
    expect(vault.currentKeyId()).toBe(vault.keyIdOf(other.encryptJson({}, secretContext(row.id))));
  });
});
