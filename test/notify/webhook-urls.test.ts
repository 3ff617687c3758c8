import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/users.ts';
import { newId } from '../../src/ids.ts';
import { createInProcessJobs } from '../../src/jobs/in-process.ts';
import { createLogger } from '../../src/log.ts';
import { Webhooks } from '../../src/notify/webhooks.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import type { Invalidation } from '../../src/store/invalidations.ts';
import { WebhooksRepository } from '../../src/store/repositories/webhooks.ts';
import type { EventRow } from '../../src/store/schema.ts';
import { createVault } from '../../src/vault/vault.ts';
import { maybe } from '../helpers/maybe.ts';
import { dialects, postgresTestStore, TEST_PG_URL, type TestStore } from '../helpers/store.ts';
import { uniqueEmail } from '../http/app.ts';

const SECRET = 'webhook-signing-secret-0123456789';
const network = { allowPrivateNetwork: true, allowedHosts: [] };

/**
 * Each event asks whether its team has a webhook, and the answer is kept in
 * memory (every renewal's event asks). These hold what a team would notice:
 * a webhook set, changed or removed — on this instance or another — is obeyed
 * by the very next event.
 */
async function webhooksOn(store: Store, masterKey: Buffer) {
  const log = createLogger('silent');
  const repository = new WebhooksRepository(store.db);
  let reads = 0;
  const counted = Object.assign(Object.create(repository) as WebhooksRepository, {
    ofTeam: (teamId: string) => {
      reads++;
      return repository.ofTeam(teamId);
    },
  });
  const vault = await createVault({ store, masterKey: Buffer.from(masterKey), reloadIntervalMs: 0 });
  const webhooks = new Webhooks({
    repository: counted,
    invalidations: store.invalidations,
    vault,
    outbound: createOutbound({ network, log }),
    network,
    log,
  });
  // Not started: a delivery stays a pending row, which is what these tests read.
  webhooks.attachJobs(createInProcessJobs({ log }));
  // On PostgreSQL the cache is used once the LISTEN connection is up; until then every event reads the row.
  while (!store.invalidations.trusted()) await new Promise((resolve) => setTimeout(resolve, 10));
  return { webhooks, repository, reads: () => reads, close: () => vault.close() };
}

function event(teamId: string): EventRow {
  const at = Date.now();
  return {
    id: newId(at),
    team_id: teamId,
    type: 'connection.refreshed',
    at,
    actor: 'system',
    connection_id: null,
    message: 'Renewed.',
  };
}

const urlsOf = async (repository: WebhooksRepository, teamId: string) =>
  (await repository.deliveries(teamId, { limit: 100 })).map((d) => d.url).reverse();

describe.each(dialects)('the team webhook URL kept in memory on $name', ({ open }) => {
  let store: TestStore | undefined;
  let close: (() => void) | undefined;
  afterEach(async () => {
    close?.();
    await maybe(store)?.destroy();
    store = undefined;
  });

  it('reads a team’s webhook once, and obeys a set, a change and a removal from the next event on', async () => {
    store = await open();
    const owner = await createUser(store, { email: uniqueEmail('owner'), password: 'correct horse battery' });
    const teamId = owner.teams[0]!.id;
    const hooks = await webhooksOn(store, randomBytes(32));
    close = hooks.close;
    const { webhooks, repository } = hooks;

    await webhooks.dispatch(event(teamId));
    await webhooks.dispatch(event(teamId));
    // No webhook: nothing queued, and the second event read nothing.
    expect(await urlsOf(repository, teamId)).toEqual([]);
    expect(hooks.reads()).toBe(1);

    await webhooks.set(teamId, owner.user.id, { url: 'http://127.0.0.1:9/first', secret: SECRET });
    await webhooks.dispatch(event(teamId));
    await webhooks.set(teamId, owner.user.id, { url: 'http://127.0.0.1:9/second', secret: SECRET });
    await webhooks.dispatch(event(teamId));
    await webhooks.dispatch(event(teamId));
    expect(await urlsOf(repository, teamId)).toEqual([
      'http://127.0.0.1:9/first',
      'http://127.0.0.1:9/second',
      'http://127.0.0.1:9/second',
    ]);

    await webhooks.remove(teamId);
    await webhooks.dispatch(event(teamId));
    expect(await urlsOf(repository, teamId)).toHaveLength(3);
    // Removing what is not there still says so.
    await expect(webhooks.remove(teamId)).rejects.toMatchObject({ code: 'webhook_not_found' });
  });
});

describe('the team webhook URL across PostgreSQL instances', () => {
  let first: TestStore | undefined;
  let second: Store | undefined;
  const closers: Array<() => void> = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) c();
    await maybe(second)?.close();
    await maybe(first)?.destroy();
    first = second = undefined;
  });

  const heard = (store: Store) =>
    new Promise<Invalidation>((resolve) => {
      const stop = store.invalidations.subscribe((message) => {
        if (message === 'all') return;
        stop();
        resolve(message);
      });
    });

  it('a webhook set or removed on one instance is obeyed by the other’s next event', async () => {
    first = await postgresTestStore();
    second = openStore({ kind: 'postgres', url: TEST_PG_URL }, { schema: first.schema! });
    const owner = await createUser(first, { email: uniqueEmail('owner'), password: 'correct horse battery' });
    const teamId = owner.teams[0]!.id;
    const masterKey = randomBytes(32);
    const here = await webhooksOn(first, masterKey);
    const elsewhere = await webhooksOn(second, masterKey);
    closers.push(here.close, elsewhere.close);

    await elsewhere.webhooks.dispatch(event(teamId));
    await elsewhere.webhooks.dispatch(event(teamId));
    expect(elsewhere.reads()).toBe(1);

    let told = heard(second);
    await here.webhooks.set(teamId, owner.user.id, { url: 'http://127.0.0.1:9/hook', secret: SECRET });
    expect(await told).toEqual({ kind: 'webhook', teamId });
    await elsewhere.webhooks.dispatch(event(teamId));
    expect(await urlsOf(here.repository, teamId)).toEqual(['http://127.0.0.1:9/hook']);

    told = heard(second);
    await here.webhooks.remove(teamId);
    await told;
    await elsewhere.webhooks.dispatch(event(teamId));
    expect(await urlsOf(here.repository, teamId)).toHaveLength(1);
  });
});
