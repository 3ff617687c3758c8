import { describe, expect, it } from 'vitest';
import { ensureFirstAdmin, GENERATED_ADMIN_EMAIL } from '../../src/accounts/bootstrap.ts';
import { signIn } from '../../src/accounts/sign-in.ts';
import { dialects } from '../helpers/store.ts';

describe.each(dialects)('the first administrator on $name', ({ open }) => {
  it('is created from HITCH_ADMIN_EMAIL/PASSWORD with a team of their own, once', async () => {
    const store = await open();
    try {
      const created = await ensureFirstAdmin(store, { email: 'root@example.com', password: 'a fine password' });
      expect(created).toEqual({ email: 'root@example.com', generatedPassword: null });
      const { user, teams } = await signIn(store, {
        email: 'root@example.com',
        password: 'a fine password',
        ip: '127.0.0.1',
      });
      expect(user.isAdmin).toBe(true);
      expect(teams).toEqual([{ id: expect.any(String), name: "root@example.com's team", role: 'owner' }]);
      expect(await ensureFirstAdmin(store, { email: 'other@example.com', password: 'a fine password' })).toBeNull();
    } finally {
      await store.destroy();
    }
  });

  it('gets a generated password that works when none is configured, even with two instances starting together', async () => {
    const store = await open();
    try {
      const results = await Promise.all([ensureFirstAdmin(store, null), ensureFirstAdmin(store, null)]);
      const created = results.filter((r) => r !== null);
      expect(created).toHaveLength(1);
      expect(created[0]!.email).toBe(GENERATED_ADMIN_EMAIL);
      const password = created[0]!.generatedPassword!;
      expect(password.length).toBeGreaterThanOrEqual(16);
      const { user } = await signIn(store, { email: GENERATED_ADMIN_EMAIL, password, ip: '127.0.0.1' });
      expect(user.isAdmin).toBe(true);
      const row = await store.db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow();
      expect(row.password_hash).not.toContain(password);
    } finally {
      await store.destroy();
    }
  });
});
