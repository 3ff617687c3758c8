import type { Kysely, Transaction } from 'kysely';
import { HitchError } from '../errors.ts';
import type { Store } from '../store/database.ts';
import type { Database, TeamRole } from '../store/schema.ts';
import type { Member, PageRequest, TeamMembership } from './types.ts';

/** The user's teams, oldest membership first (the first is the default team). */
export async function teamsOf(db: Kysely<Database>, userId: string): Promise<TeamMembership[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('teams', 'teams.id', 'memberships.team_id')
    .select(['teams.id as id', 'teams.name as name', 'memberships.role as role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('memberships.created_at')
    .orderBy('memberships.team_id')
    .execute();
}

/** The team as `userId` sees it, or undefined when they are not a member. */
export async function membershipOf(db: Kysely<Database>, userId: string, teamId: string): Promise<TeamMembership | undefined> {
  return db
    .selectFrom('memberships')
    .innerJoin('teams', 'teams.id', 'memberships.team_id')
    .select(['teams.id as id', 'teams.name as name', 'memberships.role as role'])
    .where('memberships.user_id', '=', userId)
    .where('memberships.team_id', '=', teamId)
    .executeTakeFirst();
}

/** Members ordered by user id (UUIDv7, so by sign-up time), one keyset page. */
export async function listMembers(db: Kysely<Database>, teamId: string, page: PageRequest): Promise<Member[]> {
  let query = db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id as userId', 'users.email as email', 'memberships.role as role', 'memberships.created_at as createdAt'])
    .where('memberships.team_id', '=', teamId)
    .orderBy('memberships.user_id')
    .limit(page.limit);
  if (page.cursor) query = query.where('memberships.user_id', '>', page.cursor);
  return query.execute();
}

function requireManager(actorRole: TeamRole): void {
  if (actorRole !== 'owner' && actorRole !== 'admin') {
    throw new HitchError('forbidden', { message: 'Only owners and admins of the team can change its members.' });
  }
}

function requireOwnerFor(actorRole: TeamRole, what: string): void {
  if (actorRole !== 'owner') throw new HitchError('forbidden', { message: `Only an owner of the team can ${what}.` });
}

/**
 * Runs `fn` in a transaction holding the team's row lock on PostgreSQL, so two
 * owners removing each other at once cannot leave the team without an owner.
 * SQLite transactions already run one at a time.
 */
async function withTeamLock<T>(store: Store, teamId: string, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return store.db.transaction().execute(async (trx) => {
    let lock = trx.selectFrom('teams').select('id').where('id', '=', teamId);
    if (store.dialect === 'postgres') lock = lock.forUpdate();
    if (!(await lock.executeTakeFirst())) throw new HitchError('not_found');
    return fn(trx);
  });
}

async function ownerCount(trx: Transaction<Database>, teamId: string): Promise<number> {
  const row = await trx
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('team_id', '=', teamId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function memberRow(trx: Transaction<Database>, teamId: string, userId: string): Promise<Member> {
  const row = await trx
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id as userId', 'users.email as email', 'memberships.role as role', 'memberships.created_at as createdAt'])
    .where('memberships.team_id', '=', teamId)
    .where('memberships.user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw new HitchError('not_found', { message: 'This person is not a member of the team.' });
  return row;
}

/** Adds an existing user, found by email. Owners and admins add; only owners make owners. */
export async function addMember(store: Store, actorRole: TeamRole, teamId: string, input: { email: string; role: TeamRole }): Promise<Member> {
  requireManager(actorRole);
  if (input.role === 'owner') requireOwnerFor(actorRole, 'add an owner');
  const email = input.email.trim().toLowerCase();
  return withTeamLock(store, teamId, async (trx) => {
    const user = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (!user) throw new HitchError('user_not_found', { details: { field: 'email' } });
    const existing = await trx.selectFrom('memberships').select('role').where('team_id', '=', teamId).where('user_id', '=', user.id).executeTakeFirst();
    if (existing) throw new HitchError('already_member');
    await trx.insertInto('memberships').values({ team_id: teamId, user_id: user.id, role: input.role, created_at: Date.now() }).execute();
    return memberRow(trx, teamId, user.id);
  });
}

/** Changes a member's role; owners are promoted and demoted only by owners, and the last owner stays. */
export async function changeMemberRole(store: Store, actorRole: TeamRole, teamId: string, userId: string, role: TeamRole): Promise<Member> {
  requireManager(actorRole);
  return withTeamLock(store, teamId, async (trx) => {
    const member = await memberRow(trx, teamId, userId);
    if (member.role === role) return member;
    if (member.role === 'owner' || role === 'owner') requireOwnerFor(actorRole, 'change who owns it');
    if (member.role === 'owner' && (await ownerCount(trx, teamId)) <= 1) throw new HitchError('last_owner');
    await trx.updateTable('memberships').set({ role }).where('team_id', '=', teamId).where('user_id', '=', userId).execute();
    return { ...member, role };
  });
}

/** Removes a member. Anyone may leave; owners and admins remove others; only owners remove owners; the last owner stays. */
export async function removeMember(store: Store, actor: { userId: string; role: TeamRole }, teamId: string, userId: string): Promise<void> {
  if (actor.userId !== userId) requireManager(actor.role);
  await withTeamLock(store, teamId, async (trx) => {
    const member = await memberRow(trx, teamId, userId);
    if (member.role === 'owner') {
      if (actor.userId !== userId) requireOwnerFor(actor.role, 'remove an owner');
      if ((await ownerCount(trx, teamId)) <= 1) throw new HitchError('last_owner');
    }
    await trx.deleteFrom('memberships').where('team_id', '=', teamId).where('user_id', '=', userId).execute();
    // A consent they started must not complete after they left.
    await trx.deleteFrom('oauth_flows').where('team_id', '=', teamId).where('user_id', '=', userId).execute();
  });
}
