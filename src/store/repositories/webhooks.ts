import type { Kysely } from 'kysely';
import type { Database, TeamWebhookRow, WebhookDeliveryRow } from '../schema.ts';

/** The only SQL about team webhooks and their deliveries. Every read a person triggers names the team. */
export class WebhooksRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async ofTeam(teamId: string): Promise<TeamWebhookRow | undefined> {
    return this.db.selectFrom('team_webhooks').selectAll().where('team_id', '=', teamId).executeTakeFirst();
  }

  async upsert(row: TeamWebhookRow): Promise<void> {
    await this.db
      .insertInto('team_webhooks')
      .values(row)
      .onConflict((oc) =>
        oc.column('team_id').doUpdateSet({ url: row.url, secret_enc: row.secret_enc, updated_at: row.updated_at }),
      )
      .execute();
  }

  async remove(teamId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('team_webhooks').where('team_id', '=', teamId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async insertDelivery(row: WebhookDeliveryRow): Promise<void> {
    await this.db.insertInto('webhook_deliveries').values(row).execute();
  }

  async delivery(id: string): Promise<WebhookDeliveryRow | undefined> {
    return this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async updateDelivery(
    id: string,
    changes: Partial<
      Pick<
        WebhookDeliveryRow,
        'status' | 'attempts' | 'last_status_code' | 'last_error' | 'updated_at' | 'delivered_at'
      >
    >,
  ): Promise<void> {
    await this.db.updateTable('webhook_deliveries').set(changes).where('id', '=', id).execute();
  }

  /** Newest first; `before` is the last id of the previous page. */
  async deliveries(teamId: string, page: { before?: string; limit: number }): Promise<WebhookDeliveryRow[]> {
    let query = this.db.selectFrom('webhook_deliveries').selectAll().where('team_id', '=', teamId);
    if (page.before) query = query.where('id', '<', page.before);
    return query.orderBy('id', 'desc').limit(page.limit).execute();
  }
}
