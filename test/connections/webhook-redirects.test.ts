/**
 * A webhook delivery carries its signature as a credential of the request: a
 * receiver that answers with a redirect to another host gets the delivery
 * marked failed, and the host it points at receives nothing — no signature,
 * no payload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhooks } from '../../src/notify/webhooks.ts';
import { createLogger } from '../../src/log.ts';
import { createOutbound } from '../../src/outbound/client.ts';
import type { Outbound } from '../../src/outbound/types.ts';
import type { WebhooksRepository } from '../../src/store/repositories/webhooks.ts';
import { inProcessInvalidations } from '../../src/store/invalidations.ts';
import type { Vault } from '../../src/vault/types.ts';
import { EVIL_HOST, GOOD_HOST, redirectVia, startOrigin, twoHostPolicy, type Origin } from '../helpers/origins.ts';

describe('webhook deliveries and redirects', () => {
  let good: Origin;
  let evil: Origin;
  let outbound: Outbound;
  beforeAll(async () => {
    good = await startOrigin(GOOD_HOST);
    evil = await startOrigin(EVIL_HOST);
    outbound = createOutbound({ network: twoHostPolicy });
  });
  afterAll(async () => {
    await outbound.close();
    await good.close();
    await evil.close();
  });

  it('sends nothing where the receiver redirects, for every redirect status', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      const updates: Array<Record<string, unknown>> = [];
      const hook = { team_id: 't1', url: redirectVia(good, `${evil.origin}/hook`, status), secret_enc: 'enc' };
      const delivery = {
        id: 'd1',
        team_id: 't1',
        event_id: 'e1',
        event_type: 'connection.verified',
        url: hook.url,
        payload: '{"id":"e1"}',
        status: 'pending',
        attempts: 0,
      };
      const repository = {
        delivery: async () => delivery,
        ofTeam: async () => hook,
        updateDelivery: async (_id: string, patch: Record<string, unknown>) => void updates.push(patch),
      } as unknown as WebhooksRepository;
      const vault = { decrypt: async () => 'webhook-signing-secret-0123456789' } as unknown as Vault;
      const webhooks = new Webhooks({
        repository,
        invalidations: inProcessInvalidations(),
        vault,
        outbound,
        network: twoHostPolicy,
        log: createLogger('silent'),
      });
      await expect(webhooks.deliver('d1')).rejects.toThrow(`HTTP ${status}`);
      expect(good.received.at(-1)?.headers['hitch-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(updates.at(-1)).toMatchObject({ status: 'pending', last_status_code: status });
    }
    expect(evil.received).toEqual([]);
  });
});
