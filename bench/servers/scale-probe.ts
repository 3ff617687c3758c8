// A fresh process running Hitch's core on an already seeded database: the list
// page and due-query timings and, above all, the resident memory of a process
// that serves that data (the benchmark process itself holds the seeding buffers).
import { randomBytes } from 'node:crypto';
// Hitch's build (dist/), as `npm start` runs it: world.ts made it fresh and loads it.
import {
  benchApp,
  createConnections,
  createLogger,
  createOutbound,
  createVault,
  loadCatalog,
  loadConfig,
  openStore,
} from '../world.ts';

const [kind, where, masterKeyBase64, teamId, tokenUrl, roundsText] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const store =
  kind === 'sqlite'
    ? openStore({ kind: 'sqlite', file: where })
    : openStore(
        { kind: 'postgres', url: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
        { schema: where },
      );
const vault = await createVault({ store, masterKey: Buffer.from(masterKeyBase64, 'base64'), reloadIntervalMs: 0 });
const log = createLogger('silent');
const config = loadConfig({
  DATA_DIR: '/tmp',
  HITCH_ALLOW_PRIVATE_NETWORK: 'true',
  HITCH_MASTER_KEY: randomBytes(32).toString('base64'),
});
const outbound = createOutbound({ network: config.network, log });
const catalog = loadCatalog({ appsDir: null, extraApps: [benchApp(tokenUrl)] });
const connections = createConnections({ config, store, vault, outbound, catalog, log });

const caller = { userId: 'bench', teamIds: [teamId] };
const rounds = Number(roundsText);
const list: number[] = [];
let cursor: string | undefined;
for (let i = 0; i < rounds; i++) {
  const t0 = performance.now();
  const page = await connections.service.list(caller, {
    teamIds: [teamId],
    app: 'bench',
    limit: 50,
    ...(cursor ? { cursor } : {}),
  });
  list.push(performance.now() - t0);
  // Walk forward through the pages, starting over at the end.
  cursor = page.nextCursor ?? undefined;
}
const due: number[] = [];
for (let i = 0; i < 20; i++) {
  const t0 = performance.now();
  await connections.repository.dueForRefresh(Date.now(), 100);
  due.push(performance.now() - t0);
}
const rssMb = process.memoryUsage().rss / 1024 / 1024;
process.send?.({ list, due, rssMb });
vault.close();
await outbound.close();
await store.close();
