import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/notify/webhook-signature.ts';
import { newUser, login, browser } from '../http/app.ts';
import { dialects } from '../helpers/store.ts';
import { sleep } from './harness.ts';
import {
  json,
  keyApps,
  openKindsWorld,
  readAll,
  serviceHandler,
  startServer,
  type Accepted,
  type KindsWorld,
} from './kinds-harness.ts';

const WEBHOOK_SECRET = 'whsec-0123456789abcdef';

/** A local SMTP sink: every message it takes, raw. */
async function startSmtpSink(): Promise<{
  url: string;
  messages: Array<{ to: string[]; raw: string }>;
  close(): Promise<void>;
}> {
  const messages: Array<{ to: string[]; raw: string }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      readAll(stream as never).then((raw) => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: raw.toString() });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe.each(dialects)('events, notifications and webhooks on $name', ({ open }) => {
  const accepted: Accepted = {
    apiKey: 'event-key-1234567890',
    trelloKey: 'k',
    trelloToken: 't',
    username: 'ann',
    password: 'pw-correct-horse',
  };
  let service: Awaited<ReturnType<typeof startServer>>;
  let receiver: Awaited<ReturnType<typeof startServer>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  const received: Array<{ body: string; signature: string | undefined; valid: boolean }> = [];
  let failuresLeft = 0;
  let w: KindsWorld;

  beforeAll(async () => {
    service = await startServer(serviceHandler(accepted, []));
    receiver = await startServer(async (req, res) => {
      const body = (await readAll(req)).toString();
      const signature = req.headers['hitch-signature'] as string | undefined;
      received.push({ body, signature, valid: verifyWebhookSignature(signature, body, WEBHOOK_SECRET) });
      if (failuresLeft > 0) {
        failuresLeft--;
        json(res, 503, { busy: true });
        return;
      }
      json(res, 200, { ok: true });
    });
    smtp = await startSmtpSink();
  });
  afterAll(async () => {
    await Promise.all([service.close(), receiver.close(), smtp.close()]);
  });
  beforeEach(async () => {
    received.length = 0;
    smtp.messages.length = 0;
    failuresLeft = 0;
    accepted.apiKey = 'event-key-1234567890';
    w = await openKindsWorld(open, keyApps(service.url), { env: { HITCH_SMTP_URL: smtp.url } });
  });
  afterEach(async () => {
    await w.close();
  });

  const createKeyed = async (name = 'Keyed prod') => {
    const res = await w.app.inject({
      method: 'POST',
      url: '/api/v1/connections',
      headers: w.headers,
      payload: { app: 'keyed', name, parameters: { apiKey: accepted.apiKey } },
    });
    return res.json().connection.id as string;
  };

  it('lists the team’s events with filters and a cursor, and hides other teams’', async () => {
    const id = await createKeyed();
    await w.app.inject({
      method: 'PATCH',
      url: `/api/v1/connections/${id}`,
      headers: w.headers,
      payload: { name: 'Keyed renamed' },
    });
    await w.app.inject({ method: 'POST', url: `/api/v1/connections/${id}/verify`, headers: w.headers });

    const all = await w.app.inject({ method: 'GET', url: `/api/v1/events?connectionId=${id}`, headers: w.headers });
    expect(all.statusCode).toBe(200);
    const items = all.json().items as Array<Record<string, unknown>>;
    expect(items.map((e) => e.type).sort()).toEqual([
      'connection.authorized',
      'connection.created',
      'connection.renamed',
      'connection.verified',
    ]);
    expect(items[0]).toMatchObject({ connectionId: id, actor: `user:${w.user.user.id}` });
    expect(Object.keys(items[0]!).sort()).toEqual(['actor', 'at', 'connectionId', 'id', 'message', 'type']);

    const renamed = await w.app.inject({
      method: 'GET',
      url: `/api/v1/events?type=connection.renamed&teamId=${w.teamId}`,
      headers: w.headers,
    });
    expect(renamed.json().items).toHaveLength(1);
    expect(renamed.json().items[0].message).toContain('Keyed renamed');

    const first = (await w.app.inject({ method: 'GET', url: '/api/v1/events?limit=3', headers: w.headers })).json();
    expect(first.items).toHaveLength(3);
    const second = (
      await w.app.inject({
        method: 'GET',
        url: `/api/v1/events?limit=3&cursor=${first.nextCursor}`,
        headers: w.headers,
      })
    ).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();

    const stranger = await newUser(
      { app: w.app, connections: w.connections, store: w.store, config: {} as never, close: async () => undefined },
      { team: { name: 'Elsewhere' } },
    );
    const theirs = browser(await login(w.app, stranger.user.email));
    expect((await w.app.inject({ method: 'GET', url: '/api/v1/events', headers: theirs })).json().items).toEqual([]);
    expect(
      (await w.app.inject({ method: 'GET', url: `/api/v1/events?teamId=${w.teamId}`, headers: theirs })).statusCode,
    ).toBe(404);
    expect(all.body).not.toContain(accepted.apiKey);
  });

  it('posts each event to the team webhook, signed, retrying failed deliveries, with outcomes visible', async () => {
    w.connections.webhooks.attachJobs(w.jobs, { retries: 4, retryDelayMs: 50 });
    await w.jobs.start();
    const bad = await w.app.inject({
      method: 'PUT',
      url: `/api/v1/teams/${w.teamId}/webhook`,
      headers: w.headers,
      payload: { url: 'ftp://example.com/x', secret: WEBHOOK_SECRET },
    });
    expect(bad.statusCode).toBe(400);
    const put = await w.app.inject({
      method: 'PUT',
      url: `/api/v1/teams/${w.teamId}/webhook`,
      headers: w.headers,
      payload: { url: `${receiver.url}/hook`, secret: WEBHOOK_SECRET },
    });
    expect(put.statusCode).toBe(200);
    expect(put.body).not.toContain(WEBHOOK_SECRET);

    failuresLeft = 2;
    const id = await createKeyed();
    await until(() => received.filter((r) => r.valid).length >= 4, 'two delivered events');
    const bodies = received.map((r) => JSON.parse(r.body) as { type: string; connectionId: string });
    expect(received.every((r) => r.valid)).toBe(true);
    expect(new Set(bodies.map((b) => b.type))).toEqual(new Set(['connection.created', 'connection.authorized']));
    expect(bodies.every((b) => b.connectionId === id)).toBe(true);
    expect(verifyWebhookSignature(received[0]!.signature, received[0]!.body, 'another-secret-xxxxxxx')).toBe(false);

    await until(async () => {
      const page = (
        await w.app.inject({ method: 'GET', url: `/api/v1/teams/${w.teamId}/webhook/deliveries`, headers: w.headers })
      ).json();
      return page.items.length === 2 && page.items.every((d: { status: string }) => d.status === 'delivered');
    }, 'deliveries recorded');
    const deliveries = (
      await w.app.inject({ method: 'GET', url: `/api/v1/teams/${w.teamId}/webhook/deliveries`, headers: w.headers })
    ).json().items as Array<{ attempts: number; lastStatusCode: number }>;
    expect(deliveries.reduce((n, d) => n + d.attempts, 0)).toBe(4);
    expect(deliveries.every((d) => d.lastStatusCode === 200)).toBe(true);
    // The OpenAPI document promises every field of a delivery, as each delivery has them.
    const openapi = (await w.app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: w.headers })).json<{
      paths: Record<string, { get: { responses: { 200: { content: Record<string, { schema: unknown }> } } } }>;
    }>();
    const page = openapi.paths['/api/v1/teams/{id}/webhook/deliveries']!.get.responses[200].content['application/json']!
      .schema as { properties: { items: { items: { required: string[] } } } };
    const promised = page.properties.items.items.required;
    expect(promised).toContain('deliveredAt');
    for (const d of deliveries) expect(Object.keys(d).sort()).toEqual([...promised].sort());
    for (const r of received) {
      expect(r.body).not.toContain(accepted.apiKey);
      expect(r.body).not.toContain(WEBHOOK_SECRET);
    }
    const stored = await w.store.db.selectFrom('team_webhooks').select('secret_enc').executeTakeFirstOrThrow();
    expect(stored.secret_enc).not.toContain(WEBHOOK_SECRET);

    expect(
      (await w.app.inject({ method: 'DELETE', url: `/api/v1/teams/${w.teamId}/webhook`, headers: w.headers }))
        .statusCode,
    ).toBe(204);
    expect(
      (await w.app.inject({ method: 'GET', url: `/api/v1/teams/${w.teamId}/webhook`, headers: w.headers })).statusCode,
    ).toBe(404);
  });

  it('lists what needs attention and e-mails the team’s owners once per occurrence', async () => {
    const id = await createKeyed('Billing key');
    expect(
      (await w.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: w.headers })).json().items,
    ).toEqual([]);
    accepted.apiKey = 'rotated-key-0000000000';
    await w.app.inject({ method: 'POST', url: `/api/v1/connections/${id}/verify`, headers: w.headers });

    const list = (await w.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: w.headers })).json().items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      kind: 'reauthorization_required',
      connectionId: id,
      connectionName: 'Billing key',
    });
    expect(list[0].message).toContain('enter a new one');

    expect(await w.connections.notifications.sweep()).toMatchObject({ emailed: 1 });
    expect(await w.connections.notifications.sweep()).toMatchObject({ emailed: 0 });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toEqual([w.user.user.email]);
    expect(smtp.messages[0]!.raw).toContain('Billing key');
    expect(smtp.messages[0]!.raw).not.toContain('event-key-1234567890');

    // A grant that ends within the week: a warning event and one more e-mail, once.
    const other = await createKeyed('Ending soon');
    await w.store.db
      .updateTable('connections')
      .set({ renew_by: Date.now() + 3 * 24 * 60 * 60_000 })
      .where('id', '=', other)
      .execute();
    await w.connections.notifications.sweep();
    await w.connections.notifications.sweep();
    const warnings = await w.store.db
      .selectFrom('events')
      .select('type')
      .where('connection_id', '=', other)
      .where('type', '=', 'connection.renew_by_warning')
      .execute();
    expect(warnings).toHaveLength(1);
    expect(smtp.messages).toHaveLength(2);
    const kinds = (await w.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: w.headers }))
      .json()
      .items.map((n: { kind: string }) => n.kind);
    expect(kinds.sort()).toEqual(['reauthorization_required', 'renew_by']);
  });
});
