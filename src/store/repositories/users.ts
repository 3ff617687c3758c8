import type { Kysely } from 'kysely';
import type { PointRead } from '../point-read.ts';
import type { Database, TeamRole, UserRow } from '../schema.ts';

/** A new user, with the team they get: a new one they own, or an existing one they join. */
export interface NewUserRow {
  id: string;
  email: string;
  passwordHash: string;
  isAdmin: boolean;
  createdAt: number;
  team: { newTeam: { id: string; name: string } } | { joinTeam: { id: string; role: TeamRole } };
}

/** The only SQL about users (and the team a new user gets). */
export class UsersRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly point: PointRead,
  ) {}

  /**
   * Inserts the user and their membership in one transaction. Returns
   * `email_taken` or `team_not_found` instead of inserting when the e-mail is
   * already used or the team to join does not exist; a unique-index race is the
   * driver's error, for the caller to recognise.
   */
  async insertWithTeam(row: NewUserRow): Promise<'created' | 'email_taken' | 'team_not_found'> {
    return this.db
      .transaction()
      .execute(async (trx) => {
        if (await trx.selectFrom('users').select('id').where('email', '=', row.email).executeTakeFirst())
          return 'email_taken';
        await trx
          .insertInto('users')
          .values({
            id: row.id,
            email: row.email,
            password_hash: row.passwordHash,
            is_admin: row.isAdmin ? 1 : 0,
            created_at: row.createdAt,
            updated_at: row.createdAt,
          })
          .execute();
        if ('joinTeam' in row.team) {
          const { id, role } = row.team.joinTeam;
          const exists = await trx.selectFrom('teams').select('id').where('id', '=', id).executeTakeFirst();
          // Throwing rolls the user back; the caller turns the marker into its answer.
          if (!exists) throw new TeamNotFound();
          await trx
            .insertInto('memberships')
            .values({ team_id: id, user_id: row.id, role, created_at: row.createdAt })
            .execute();
        } else {
          const { id, name } = row.team.newTeam;
          await trx.insertInto('teams').values({ id, name, created_at: row.createdAt }).execute();
          await trx
            .insertInto('memberships')
            .values({ team_id: id, user_id: row.id, role: 'owner', created_at: row.createdAt })
            .execute();
        }
        return 'created' as const;
      })
      .catch((error: unknown) => {
        if (error instanceof TeamNotFound) return 'team_not_found' as const;
        throw error;
      });
  }

  /** `email` already normalized. */
  async byEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  /** By a prepared point read: authentication runs it on every request. */
  async summaryById(id: string): Promise<Pick<UserRow, 'id' | 'email' | 'is_admin'> | undefined> {
    return (await this.point.byId('users', 'id', id, ['id', 'email', 'is_admin'])) as
      Pick<UserRow, 'id' | 'email' | 'is_admin'> | undefined;
  }

  async passwordOf(id: string): Promise<Pick<UserRow, 'email' | 'password_hash'> | undefined> {
    return this.db.selectFrom('users').select(['email', 'password_hash']).where('id', '=', id).executeTakeFirst();
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Sets the new password hash and ends every session of the user but
   * `keepSessionId` (null: all), in one transaction; returns how many API
   * tokens the user has (they stay).
   */
  async replacePassword(
    userId: string,
    passwordHash: string,
    keepSessionId: string | null,
    now: number,
  ): Promise<{ apiTokens: number }> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: passwordHash, updated_at: now })
        .where('id', '=', userId)
        .execute();
      let sessions = trx.deleteFrom('sessions').where('user_id', '=', userId);
      if (keepSessionId) sessions = sessions.where('id', '!=', keepSessionId);
      await sessions.execute();
      const tokens = await trx
        .selectFrom('api_tokens')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return { apiTokens: Number(tokens.n) };
    });
  }
}

class TeamNotFound extends Error {}
