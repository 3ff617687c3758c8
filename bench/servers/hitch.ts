// Hitch itself, in its own process, with an API-key connection to the upstream.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { built } from '../product.ts';

// The build, as `npm start` runs it (the parent made dist/ fresh before starting this process).
const { createApiToken } = await built<typeof import('../../src/accounts/api-tokens.ts')>('accounts/api-tokens');
const { createUser } = await built<typeof import('../../src/accounts/users.ts')>('accounts/users');
const { loadConfig } = await built<typeof import('../../src/config.ts')>('config');
const { createLogger } = await built<typeof import('../../src/log.ts')>('log');
const { startHitch } = await built<typeof import('../../src/server.ts')>('server');

const upstream = process.argv[2]!;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-bench-proxy-'));
const port = await new Promise<number>((resolve) => {
  const probe = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as net.AddressInfo;
    probe.close(() => resolve(port));
  });
});
const config = loadConfig({
  DATA_DIR: dataDir,
  PORT: String(port),
  HITCH_ALLOW_PRIVATE_NETWORK: 'true',
  LOG_LEVEL: 'silent',
  HITCH_ADMIN_EMAIL: 'bench@example.com',
  HITCH_ADMIN_PASSWORD: 'bench-password',
});
const hitch = await startHitch(config, {
  log: createLogger('silent'),
  out: new (await import('node:stream')).PassThrough(),
});
const { services } = hitch;
const users = await createUser(services.store, {
  email: 'proxy@example.com',
  password: 'bench-password',
  team: { name: 'Bench' },
});
const { token } = await createApiToken(services.store, users.user.id, 'bench');
const address = hitch.app!.server.address() as net.AddressInfo;
const base = `http://127.0.0.1:${address.port}`;
const created = await fetch(`${base}/api/v1/connections`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify({
    app: 'http',
    auth: 'apiKey',
    teamId: users.teams[0]!.id,
    parameters: { key: 'Bearer bench-key', placement: 'header', parameterName: 'Authorization', baseUrl: upstream },
  }),
});
if (created.status !== 201)
  throw new Error(`could not create the bench connection: ${created.status} ${await created.text()}`);
const { connection } = (await created.json()) as { connection: { id: string } };
// The proxy is measured with a scoped token, as least privilege hands them out (README, "Scoped API
// tokens"): one team, this connection only, a scenario's worth of endpoint patterns, the one the load
// calls last, so each request walks them all.
const scoped = await fetch(`${base}/api/v1/tokens`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify({
    name: 'bench scoped',
    teamId: users.teams[0]!.id,
    grants: [
      { connectionId: connection.id, method: 'GET', path: '/users/{id}' },
      { connectionId: connection.id, method: 'POST', path: '/items' },
      { connectionId: connection.id, method: 'GET', path: '/items' },
    ],
  }),
});
if (scoped.status !== 201)
  throw new Error(`could not create the bench's scoped token: ${scoped.status} ${await scoped.text()}`);
const { token: scopedToken } = (await scoped.json()) as { token: string };
// So the figures are the scoped path's: a call outside its grants must be refused.
const outside = await fetch(`${base}/api/v1/connections/${connection.id}/proxy/users`, {
  headers: { authorization: `Bearer ${scopedToken}` },
});
if (outside.status !== 403)
  throw new Error(`the bench's scoped token called an endpoint it was not granted (${outside.status})`);
process.send?.({ port: address.port, token: scopedToken, connectionId: connection.id });
process.on('SIGTERM', async () => {
  await hitch.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});
