import type { Kysely, Transaction } from 'kysely';
import type { DialectName } from '../database.ts';
import type { Database, TeamRole } from '../schema.ts';

/** A team as one of its members sees it. */
export interface MembershipListing {
  id: string;
  name: string;
  role: TeamRole;
}

/** A member as the team's member list shows them. */
export interface MemberListing {
  userId: string;
  email: string;
  role: TeamRole;
  createdAt: number;
}

/** What may change in a team while its lock is held (see `MembershipsRepository.withTeamLock`). */
export interface LockedTeam {
  member(userId: string): Promise<MemberListing | undefined>;
  ownerCount(): Promise<number>;
  userIdByEmail(email: string): Promise<string | undefined>;
  add(userId: string, role: TeamRole, at: number): Promise<void>;
  setRole(userId: string, role: TeamRole): Promise<void>;
  /** Removes the membership and the OAuth flows the user started in the team: a consent begun must not complete after they left. */
  remove(userId: string): Promise<void>;
}

const memberColumns = [
  'users.id as userId',
  'users.email as email',
  'memberships.role as role',
  'memberships.created_at as createdAt',
] as const;

/** The only SQL about teams and who is in them. */
export class MembershipsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  /** The user's teams, oldest membership first (the first is the default team). */
  async teamsOf(userId: string): Promise<MembershipListing[]> {
    return this.db
      .selectFrom('memberships')
      .innerJoin('teams', 'teams.id', 'memberships.team_id')
      .select(['teams.id as id', 'teams.name as name', 'memberships.role as role'])
      .where('memberships.user_id', '=', userId)
      .orderBy('memberships.created_at')
      .orderBy('memberships.team_id')
      .execute();
  }

  /** The team as `userId` sees it, or undefined when they are not a member. */
  async membershipOf(userId: string, teamId: string): Promise<MembershipListing | undefined> {
    return this.db
      .selectFrom('memberships')
      .innerJoin('teams', 'teams.id', 'memberships.team_id')
      .select(['teams.id as id', 'teams.name as name', 'memberships.role as role'])
      .where('memberships.user_id', '=', userId)
      .where('memberships.team_id', '=', teamId)
      .executeTakeFirst();
  }

  /** Members ordered by user id (UUIDv7, so by sign-up time), one keyset page. */
  async members(teamId: string, page: { cursor?: string | undefined; limit: number }): Promise<MemberListing[]> {
    let query = this.db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(memberColumns)
      .where('memberships.team_id', '=', teamId)
      .orderBy('memberships.user_id')
      .limit(page.limit);
    if (page.cursor) query = query.where('memberships.user_id', '>', page.cursor);
    return query.execute();
  }

  /**
   * Runs `fn` in a transaction holding the team's row lock on PostgreSQL, so two
   * owners removing each other at once cannot leave the team without an owner
   * (SQLite transactions already run one at a time). `fn` gets null when there
   * is no such team; whatever it throws rolls the transaction back.
   */
  async withTeamLock<T>(teamId: string, fn: (team: LockedTeam | null) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      let lock = trx.selectFrom('teams').select('id').where('id', '=', teamId);
      if (this.dialect === 'postgres') lock = lock.forUpdate();
      if (!(await lock.executeTakeFirst())) return fn(null);
      return fn(lockedTeam(trx, teamId));
    });
  }
}

function lockedTeam(trx: Transaction<Database>, teamId: string): LockedTeam {
  return {
    member: (userId) =>
      trx
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select(memberColumns)
        .where('memberships.team_id', '=', teamId)
        .where('memberships.user_id', '=', userId)
        .executeTakeFirst(),
    async ownerCount() {
      const row = await trx
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('team_id', '=', teamId)
        .where('role', '=', 'owner')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async userIdByEmail(email) {
      return (await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst())?.id;
    },
    async add(userId, role, at) {
      await trx.insertInto('memberships').values({ team_id: teamId, user_id: userId, role, created_at: at }).execute();
    },
    async setRole(userId, role) {
      await trx
        .updateTable('memberships')
        .set({ role })
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .execute();
    },
    async remove(userId) {
      await trx.deleteFrom('memberships').where('team_id', '=', teamId).where('user_id', '=', userId).execute();
      await trx.deleteFrom('oauth_flows').where('team_id', '=', teamId).where('user_id', '=', userId).execute();
    },
  };
}
