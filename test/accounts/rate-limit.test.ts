import { describe, expect, it } from 'vitest';
import { hitRateLimit } from '../../src/accounts/rate-limit.ts';
import { openStore } from '../../src/store/database.ts';
import { dialects } from '../helpers/store.ts';

describe.each(dialects)('rate limits on $name', ({ open }) => {
  it('counts attempts from every instance sharing the database, and starts over after the window', async () => {
    const store = await open();
    // A second instance: its own connection to the same database.
    const other = store.file ? openStore({ kind: 'sqlite', file: store.file }) : null;
    try {
      const rule = { limit: 3, windowMs: 60_000 };
      const now = Date.now();
      const results = [];
      for (let i = 0; i < 4; i++)
        results.push((await hitRateLimit(i % 2 && other ? other : store, 'k', rule, now)).allowed);
      expect(results).toEqual([true, true, true, false]);
      expect((await hitRateLimit(store, 'k', rule, now + 60_000)).allowed).toBe(true);
      // Many attempts at the same moment are all counted.
      await Promise.all(Array.from({ length: 10 }, () => hitRateLimit(store, 'burst', rule, now)));
      const row = await store.db
        .selectFrom('rate_limits')
        .select('count')
        .where('key', '=', 'burst')
        .executeTakeFirstOrThrow();
      expect(row.count).toBe(10);
    } finally {
      await other?.close();
      await store.destroy();
    }
  });
});
