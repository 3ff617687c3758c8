import { HitchError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Store } from '../store/database.ts';
import { accountRepositories } from '../store/repositories/index.ts';
import type { UserRow } from '../store/schema.ts';
import { throttledPasswordCheck } from './password-attempts.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { teamsOf } from './teams.ts';
import type { TeamRole, User, UserWithTeams } from './types.ts';
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
  const team = input.team;
  let outcome: 'created' | 'email_taken' | 'team_not_found';
  try {
    outcome = await accountRepositories(store).users.insertWithTeam({
      id: userId,
      email,
      passwordHash,
      isAdmin: Boolean(input.isAdmin),
      createdAt: now,
      team:
        team && 'id' in team
          ? { joinTeam: { id: team.id, role: team.role ?? 'member' } }
          : { newTeam: { id: newId(now), name: team?.name ?? ownTeamName(email) } },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new HitchError('email_taken');
    throw error;
  }
  if (outcome === 'email_taken') throw new HitchError('email_taken');
  if (outcome === 'team_not_found')
    throw new HitchError('not_found', { message: 'There is no team with this id.', details: { field: 'teamId' } });
  return { user: { id: userId, email, isAdmin: Boolean(input.isAdmin) }, teams: await teamsOf(store, userId) };
}

export async function findUserByEmail(store: Store, email: string): Promise<UserRow | undefined> {
  return accountRepositories(store).users.byEmail(normalizeEmail(email));
}

/** A user by id, by a prepared point read: authentication runs it on every request. */
export async function getUser(store: Store, id: string): Promise<User | undefined> {
  const row = await accountRepositories(store).users.summaryById(id);
  return row && toUser(row);
}

export async function getUserWithTeams(store: Store, id: string): Promise<UserWithTeams> {
  const user = await getUser(store, id);
  if (!user) throw new HitchError('unauthenticated');
  return { user, teams: await teamsOf(store, id) };
}

export async function countUsers(store: Store): Promise<number> {
  return accountRepositories(store).users.count();
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
  const row = await accountRepositories(store).users.passwordOf(change.userId);
  if (!row) throw new HitchError('unauthenticated');
  const valid = await throttledPasswordCheck(store, { email: row.email, address: change.address }, () =>
    verifyPassword(change.currentPassword, row.password_hash),
  );
  if (!valid) throw new HitchError('wrong_password', { details: { field: 'currentPassword' } });
  const passwordHash = await hashPassword(change.newPassword);
  // One transaction: the new hash and the end of the other sessions land together.
  return accountRepositories(store).users.replacePassword(
    change.userId,
    passwordHash,
    change.keepSessionId,
    Date.now(),
  );
}
