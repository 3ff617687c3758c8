import { HitchError } from '../errors.ts';
import type { Store } from '../store/database.ts';
import { accountRepositories } from '../store/repositories/index.ts';
import type { LockedTeam } from '../store/repositories/memberships.ts';
import type { Member, PageRequest, TeamMembership, TeamRole } from './types.ts';

/** The user's teams, oldest membership first (the first is the default team). */
export async function teamsOf(store: Store, userId: string): Promise<TeamMembership[]> {
  return accountRepositories(store).memberships.teamsOf(userId);
}

/** The team as `userId` sees it, or undefined when they are not a member. */
export async function membershipOf(store: Store, userId: string, teamId: string): Promise<TeamMembership | undefined> {
  return accountRepositories(store).memberships.membershipOf(userId, teamId);
}

/** Members ordered by user id (UUIDv7, so by sign-up time), one keyset page. */
export async function listMembers(store: Store, teamId: string, page: PageRequest): Promise<Member[]> {
  return accountRepositories(store).memberships.members(teamId, page);
}

function requireManager(actorRole: TeamRole): void {
  if (actorRole !== 'owner' && actorRole !== 'admin') {
    throw new HitchError('forbidden', { message: 'Only owners and admins of the team can change its members.' });
  }
}

function requireOwnerFor(actorRole: TeamRole, what: string): void {
  if (actorRole !== 'owner') throw new HitchError('forbidden', { message: `Only an owner of the team can ${what}.` });
}

/** Runs `fn` holding the team's lock (so two owners removing each other cannot leave it ownerless); 404 when there is no such team. */
async function withTeamLock<T>(store: Store, teamId: string, fn: (team: LockedTeam) => Promise<T>): Promise<T> {
  return accountRepositories(store).memberships.withTeamLock(teamId, async (team) => {
    if (!team) throw new HitchError('not_found');
    return fn(team);
  });
}

async function memberOf(team: LockedTeam, userId: string): Promise<Member> {
  const member = await team.member(userId);
  if (!member) throw new HitchError('not_found', { message: 'This person is not a member of the team.' });
  return member;
}

/** Adds an existing user, found by email. Owners and admins add; only owners make owners. */
export async function addMember(
  store: Store,
  actorRole: TeamRole,
  teamId: string,
  input: { email: string; role: TeamRole },
): Promise<Member> {
  requireManager(actorRole);
  if (input.role === 'owner') requireOwnerFor(actorRole, 'add an owner');
  const email = input.email.trim().toLowerCase();
  return withTeamLock(store, teamId, async (team) => {
    const userId = await team.userIdByEmail(email);
    if (!userId) throw new HitchError('user_not_found', { details: { field: 'email' } });
    if (await team.member(userId)) throw new HitchError('already_member');
    await team.add(userId, input.role, Date.now());
    return memberOf(team, userId);
  });
}

/** Changes a member's role; owners are promoted and demoted only by owners, and the last owner stays. */
export async function changeMemberRole(
  store: Store,
  actorRole: TeamRole,
  teamId: string,
  userId: string,
  role: TeamRole,
): Promise<Member> {
  requireManager(actorRole);
  return withTeamLock(store, teamId, async (team) => {
    const member = await memberOf(team, userId);
    if (member.role === role) return member;
    if (member.role === 'owner' || role === 'owner') requireOwnerFor(actorRole, 'change who owns it');
    if (member.role === 'owner' && (await team.ownerCount()) <= 1) throw new HitchError('last_owner');
    await team.setRole(userId, role);
    return { ...member, role };
  });
}

/** Removes a member, and the OAuth flows they started in the team. Anyone may leave; owners and admins remove others; only owners remove owners; the last owner stays. */
export async function removeMember(
  store: Store,
  actor: { userId: string; role: TeamRole },
  teamId: string,
  userId: string,
): Promise<void> {
  if (actor.userId !== userId) requireManager(actor.role);
  await withTeamLock(store, teamId, async (team) => {
    const member = await memberOf(team, userId);
    if (member.role === 'owner') {
      if (actor.userId !== userId) requireOwnerFor(actor.role, 'remove an owner');
      if ((await team.ownerCount()) <= 1) throw new HitchError('last_owner');
    }
    // A consent they started must not complete after they left: the repository deletes their flows with the membership.
    await team.remove(userId);
  });
}
