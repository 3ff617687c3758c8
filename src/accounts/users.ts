import type { Kysely } from 'kysely';
import { HitchError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Store } from '../store/database.ts';
import type { Database, TeamRole, UserRow } from '../store/schema.ts';
import { throttledPasswordCheck } from './password-attempts.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { deleteOtherSessions } from './sessions.ts';
import { teamsOf } from './teams.ts';
import type { User, UserWithTeams } from './types.ts';
import { isUniqueViolation } from './unique-violation.ts';

/** Emails are compared lowercased, so "Ann@Example.com" and "ann@example.com" are one account. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function toUser(row: Pick<UserRow, 'id' | 'email' | 'is_admin'>): User {
  return { id: row.id, email: row.email, isAdmin: row.is_admin === 1 };
}

/** The name of the team a new user gets when none is given. */
export function ownTeamName(email: string): string {
  return `${email}'s team`;
}

export interface NewUserInput {
  email: string;
  password: string;
  isAdmin?: boolean;
  /** A new team the user owns (default: "<email>'s team"), or an existing team they join. */
  team?: { name: string } | { id: string; role?: TeamRole };
}

/** Creates a user with a team of their own, or as a member of an existing team. */
export async function createUser(store: Store, input: NewUserInput): Promise<UserWithTeams> {
  const email = normalizeEmail(input.email);
  // Hash before the transaction: it takes tens of milliseconds and needs no lock.
  const passwordHash = await hashPassword(input.password);
  const now = Date.now();
  const userId = newId(now);
  try {
    await store.db.transaction().execute(async (trx) => {
      if (await findUserByEmail(trx, email)) throw new HitchError('email_taken');
      await trx.insertInto('users').values({ id: userId, email, password_hash: passwordHash, is_admin: input.isAdmin ? 1 : 0, created_at: now, updated_at: now }).execute();
      const team = input.team;
      if (team && 'id' in team) {
        const exists = await trx.selectFrom('teams').select('id').where('id', '=', team.id).executeTakeFirst();
        if (!exists) throw new HitchError('not_found', { message: 'There is no team with this id.', details: { field: 'teamId' } });
        await trx.insertInto('memberships').values({ team_id: team.id, user_id: userId, role: team.role ?? 'member', created_at: now }).execute();
      } else {
        const teamId = newId(now);
        await trx.insertInto('teams').values({ id: teamId, name: team?.name ?? ownTeamName(email), created_at: now }).execute();
        await trx.insertInto('memberships').values({ team_id: teamId, user_id: userId, role: 'owner', created_at: now }).execute();
      }
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new HitchError('email_taken');
    throw error;
  }
  return { user: { id: userId, email, isAdmin: Boolean(input.isAdmin) }, teams: await teamsOf(store.db, userId) };
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

/** A user by id, by a prepared point read: authentication runs it on every request. */
export async function getUser(store: Store, id: string): Promise<User | undefined> {
  const row = (await store.point.byId('users', 'id', id, ['id', 'email', 'is_admin'])) as { id: string; email: string; is_admin: number } | undefined;
  return row && toUser(row);
}

export async function getUserWithTeams(store: Store, id: string): Promise<UserWithTeams> {
  const user = await getUser(store, id);
  if (!user) throw new HitchError('unauthenticated');
  return { user, teams: await teamsOf(store.db, id) };
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface PasswordChange {
  userId: string;
  currentPassword: string;
  newPassword: string;
  /** The session the change came with, kept; null when it came with an API token. */
  keepSessionId: string | null;
  /** The client's address: the current password is throttled like a sign-in (./password-attempts.ts). */
  address: string;
}

/**
 * Replaces the password after checking the current one, and ends every other
 * session of the user: whoever knew the old password is signed out everywhere
 * but here. API tokens are separate credentials and stay; the answer says how
 * many there are, so the person can revoke any they no longer trust.
 */
export async function changePassword(store: Store, change: PasswordChange): Promise<{ apiTokens: number }> {
  const row = await store.db.selectFrom('users').select(['email', 'password_hash']).where('id', '=', change.userId).executeTakeFirst();
  if (!row) throw new HitchError('unauthenticated');
  const valid = await throttledPasswordCheck(store, { email: row.email, address: change.address }, () => verifyPassword(change.currentPassword, row.password_hash));
  if (!valid) throw new HitchError('wrong_password', { details: { field: 'currentPassword' } });
  const passwordHash = await hashPassword(change.newPassword);
  return store.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: Date.now() }).where('id', '=', change.userId).execute();
    await deleteOtherSessions(trx, change.userId, change.keepSessionId);
    const tokens = await trx.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number | string>().as('n')).where('user_id', '=', change.userId).executeTakeFirstOrThrow();
    return { apiTokens: Number(tokens.n) };
  });
}
