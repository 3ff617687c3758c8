import { describe, expect, it } from 'vitest';
import { dialects } from '../helpers/store.ts';
import { newId } from '../../src/ids.ts';

describe.each(dialects)('store on $name', ({ open }) => {
  it('applies the migrations once, even when asked twice at the same time', async () => {
    const store = await open();
    try {
      await Promise.all([store.migrate(), store.migrate()]);
      expect(await store.ping()).toBe(true);
      const now = Date.now();
      const id = newId(now);
      await store.db.insertInto('teams').values({ id, name: 'Ops', created_at: now }).execute();
      const row = await store.db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      // Times come back as numbers on both dialects.
      expect(row.created_at).toBe(now);
    } finally {
      await store.destroy();
    }
  });
});
