import { describe, expect, it } from 'vitest';
import { hitRateLimit } from '../../src/accounts/rate-limit.ts';
import { createSession } from '../../src/accounts/sessions.ts';
import { createUser } from '../../src/accounts/users.ts';
import { newId } from '../../src/ids.ts';
import { connectionRow } from '../helpers/connection-row.ts';
import { deleteExpiredRows } from '../../src/jobs/cleanup.ts';
import { dialects } from '../helpers/store.ts';

describe.each(dialects)('the clean-up job on $name', ({ open }) => {
  it('deletes expired sessions, OAuth flows and rate-limit windows, and keeps live ones', async () => {
    const store = await open();
    try {
      const { user, teams } = await createUser(store, { email: 'ops@example.com', password: 'long enough' });
      const now = Date.now();
      const live = await createSession(store, user.id, now);
      const stale = await createSession(store, user.id, now);
      await store.db
        .updateTable('sessions')
        .set({ expires_at: now - 1 })
        .where('id', '=', stale.id)
        .execute();
      await hitRateLimit(store, 'live', { limit: 1, windowMs: 60_000 }, now);
      await hitRateLimit(store, 'stale', { limit: 1, windowMs: 60_000 }, now - 120_000);

      const connectionId = newId();
      await store.db
        .insertInto('connections')
        .values(
          connectionRow(teams[0]!.id, {
            id: connectionId,
            status: 'pending',
            created_by: user.id,
            created_at: now,
            updated_at: now,
          }),
        )
        .execute();
      for (const [state, expiresAt] of [
        ['old', now - 1],
        ['new', now + 600_000],
      ] as const) {
        await store.db
          .insertInto('oauth_flows')
          .values({
            state_hash: state,
            connection_id: connectionId,
            team_id: teams[0]!.id,
            user_id: user.id,
            purpose: 'create',
            payload_enc: 'x',
            issuer: null,
            expires_at: expiresAt,
            created_at: now,
          })
          .execute();
      }

      expect(await deleteExpiredRows(store, now)).toEqual({ sessions: 1, oauthFlows: 1, rateLimits: 1 });
      expect((await store.db.selectFrom('sessions').select('id').execute()).map((r) => r.id)).toEqual([live.id]);
      expect(
        (await store.db.selectFrom('oauth_flows').select('state_hash').execute()).map((r) => r.state_hash),
      ).toEqual(['new']);
      expect((await store.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key)).toEqual(['live']);
    } finally {
      await store.destroy();
    }
  });
});
