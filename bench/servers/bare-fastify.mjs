// The start-up baseline: a bare Fastify server that first loads every package Hitch's build
// imports (named on the command line), then answers /healthz on PORT. What Hitch adds beyond this
// is its own work: the catalog, the database and its migrations, the vault, the routes.
import Fastify from 'fastify';

for (const name of process.argv.slice(2)) await import(name);
const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
