import { afterEach, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/accounts/api-tokens.ts';
import { AccountsService } from '../../src/accounts/service.ts';
import { createUser } from '../../src/accounts/users.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import type { Invalidation } from '../../src/store/invalidations.ts';
import { maybe } from '../helpers/maybe.ts';
import { dialects, postgresTestStore, TEST_PG_URL, type TestStore } from '../helpers/store.ts';
import { uniqueEmail } from '../http/app.ts';

/**
 * The API token's principal (token, user, teams) is kept in memory so the
 * proxy reads nothing per request, and forgotten at once — on every instance —
 * when the token is revoked or the user's memberships change.
 */
async function people(store: Store) {
  const accounts = new AccountsService(store);
  const owner = await createUser(store, { email: uniqueEmail('owner'), password: 'correct horse battery' });
  const teamId = owner.teams[0]!.id;
  const member = await createUser(store, {
    email: uniqueEmail('member'),
    password: 'correct horse battery',
    team: { id: teamId, role: 'member' },
  });
  const { id: tokenId, token } = await createApiToken(store, member.user.id, 'agent');
  return { accounts, owner, member, teamId, tokenId, token };
}

describe.each(dialects)('the token principal cache on $name', ({ open }) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await maybe(store)?.destroy();
    store = undefined;
  });

  it('answers a token seen before from memory, and forgets it the moment it is revoked', async () => {
    store = await open();
    const { accounts, member, tokenId, token } = await people(store);
    // Nothing in memory before the first read, and nothing ever for what is no Hitch token.
    expect(accounts.cachedPrincipalOf(token)).toBeUndefined();
    expect(accounts.cachedPrincipalOf('not-a-hitch-token')).toBeUndefined();
    const first = await accounts.principalOf(token);
    expect(first).toMatchObject({ user: { id: member.user.id }, token: { tokenId } });
    // The same object: nothing was read again.
    expect(await accounts.principalOf(token)).toBe(first);
    // The proxy's synchronous look at the same cache.
    expect(accounts.cachedPrincipalOf(token)).toBe(first);
    expect(await accounts.revokeApiToken(member.user.id, tokenId)).toBe(true);
    expect(accounts.cachedPrincipalOf(token)).toBeUndefined();
    expect(await accounts.principalOf(token)).toBeNull();
  });

  it('forgets the user’s teams the moment a membership changes', async () => {
    store = await open();
    const { accounts, member, teamId, token } = await people(store);
    expect((await accounts.principalOf(token))!.teams).toEqual([
      expect.objectContaining({ id: teamId, role: 'member' }),
    ]);
    await accounts.changeMemberRole('owner', teamId, member.user.id, 'admin');
    expect((await accounts.principalOf(token))!.teams).toEqual([
      expect.objectContaining({ id: teamId, role: 'admin' }),
    ]);
    await accounts.removeMember({ userId: member.user.id, role: 'admin' }, teamId, member.user.id);
    expect((await accounts.principalOf(token))!.teams).toEqual([]);
  });

  it('ends an entry with the token’s own expiry', async () => {
    store = await open();
    const { member } = await people(store);
    const accounts = new AccountsService(store);
    const expiresAt = Date.now() + 60_000;
    const { token } = await createApiToken(store, member.user.id, 'brief', { expiresAt });
    expect(await accounts.principalOf(token, expiresAt - 1)).not.toBeNull();
    // Kept until the token's expiry, and not a moment past it, for the synchronous look too.
    expect(accounts.cachedPrincipalOf(token, expiresAt - 1)).toBeDefined();
    expect(accounts.cachedPrincipalOf(token, expiresAt)).toBeUndefined();
    expect(await accounts.principalOf(token, expiresAt)).toBeNull();
  });
});

describe('the token principal cache across PostgreSQL instances', () => {
  let first: TestStore | undefined;
  let second: Store | undefined;
  afterEach(async () => {
    await maybe(second)?.close();
    await maybe(first)?.destroy();
    first = second = undefined;
  });

  /** Resolves with the next invalidation the store hears from its LISTEN connection. */
  const heard = (store: Store) =>
    new Promise<Invalidation | 'all'>((resolve) => {
      const stop = store.invalidations.subscribe((message) => {
        if (message === 'all') return;
        stop();
        resolve(message);
      });
    });

  async function listening(store: Store): Promise<void> {
    const ready = new Promise<void>((resolve) => {
      const stop = store.invalidations.subscribe((message) => {
        if (message !== 'all') return;
        stop();
        resolve();
      });
    });
    if (!store.invalidations.trusted()) await ready;
  }

  it('revoking on one instance makes another refuse the token it had cached, without waiting for the TTL', async () => {
    first = await postgresTestStore();
    second = openStore({ kind: 'postgres', url: TEST_PG_URL }, { schema: first.schema! });
    const { accounts, member, tokenId, token } = await people(first);
    const elsewhere = new AccountsService(second);
    await listening(second);
    const cached = await elsewhere.principalOf(token);
    expect(cached).not.toBeNull();
    expect(await elsewhere.principalOf(token)).toBe(cached);

    const told = heard(second);
    await accounts.revokeApiToken(member.user.id, tokenId);
    expect(await told).toEqual({ kind: 'token', tokenId });
    expect(await elsewhere.principalOf(token)).toBeNull();
  });

  it('removing a member on one instance reaches the other’s cached teams', async () => {
    first = await postgresTestStore();
    second = openStore({ kind: 'postgres', url: TEST_PG_URL }, { schema: first.schema! });
    const { accounts, member, teamId, token } = await people(first);
    const elsewhere = new AccountsService(second);
    await listening(second);
    expect((await elsewhere.principalOf(token))!.teams.map((t) => t.id)).toEqual([teamId]);
    const told = heard(second);
    await accounts.removeMember({ userId: 'someone-else', role: 'owner' }, teamId, member.user.id);
    expect(await told).toEqual({ kind: 'user', userId: member.user.id });
    expect((await elsewhere.principalOf(token))!.teams).toEqual([]);
  });
});
