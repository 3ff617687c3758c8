import type { Catalog } from '../catalog/catalog.ts';
import type { Logger } from '../log.ts';
import type { NoticesRepository } from '../store/repositories/notices.ts';
import type { ConnectionRow } from '../store/schema.ts';
import type { ConnectionEvents } from '../connections/events.ts';
import type { Mailer } from './mailer.ts';
import { DAY_MS, reauthorizeByOf } from '../connections/grant-lifetime.ts';
import { parseLastError } from '../connections/model.ts';
import { deadlineOf, deadlineRuleFor, nonExpiringRules } from '../connections/non-expiring-tokens.ts';

export type NoticeKind = 'reauthorization_required' | 'failing' | 'renew_by';

/** One thing that needs a person, for the web app's banner. Never a secret. */
export interface Notification {
  id: string;
  kind: NoticeKind;
  teamId: string;
  connectionId: string;
  connectionName: string;
  app: string;
  message: string;
  /** For `renew_by`: when the grant ends. */
  renewBy: string | null;
  at: string;
}

function noticesOf(row: ConnectionRow, catalog: Catalog, renewByBefore: number, now: number): Notification[] {
  const appName = catalog.get(row.app)?.name ?? row.app;
  const lastError = parseLastError(row);
  const base = {
    teamId: row.team_id,
    connectionId: row.id,
    connectionName: row.name,
    app: row.app,
    at: new Date(row.updated_at).toISOString(),
    renewBy: null,
  };
  const out: Notification[] = [];
  if (row.status === 'reauthorization_required') {
    out.push({
      ...base,
      id: `${row.id}:reauthorization_required`,
      kind: 'reauthorization_required',
      message: `Connection "${row.name}" to ${appName} needs reauthorization: ${lastError?.message ?? 'the service no longer accepts it.'}`,
    });
  } else if (row.status === 'error') {
    out.push({
      ...base,
      id: `${row.id}:failing`,
      kind: 'failing',
      message: `Connection "${row.name}" to ${appName} is failing: ${lastError?.message ?? 'Hitch cannot renew it.'}`,
    });
  }
  // Only an end that refreshing cannot move asks people to act; Hitch keeps the others alive.
  const app = catalog.get(row.app);
  const rule = deadlineRuleFor(row, app);
  const reauthorizeBy = rule ? row.renew_by : reauthorizeByOf(row, app);
  if (
    reauthorizeBy !== null &&
    (reauthorizeBy <= renewByBefore || rule) &&
    row.status !== 'reauthorization_required' &&
    row.status !== 'pending'
  ) {
    const days = Math.max(0, Math.ceil((reauthorizeBy - now) / DAY_MS));
    out.push({
      ...base,
      id: `${row.id}:renew_by`,
      kind: 'renew_by',
      renewBy: new Date(reauthorizeBy).toISOString(),
      message: `Connection "${row.name}" to ${appName} must be reauthorized by ${new Date(reauthorizeBy).toISOString().slice(0, 10)} (${days === 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`}), when ${rule ? `${appName} stops accepting tokens that never expire (${rule.docsUrl})` : 'the service ends its access'}.`,
    });
  }
  return out;
}

/**
 * What needs people: computed from the connections themselves (so the list is
 * always true), and — by a periodic sweep — remembered per occurrence, so a
 * renew-by warning event and an e-mail to the team's owners and admins go out
 * once when a connection starts needing attention, not on every sweep. When it
 * stops needing attention the record goes, and a later occurrence is told again.
 */
export class Notifications {
  constructor(
    private readonly deps: {
      notices: NoticesRepository;
      catalog: Catalog;
      events: ConnectionEvents;
      mailer: Mailer | null;
      log: Logger;
      publicUrl: string;
      /** HITCH_RENEW_BY_WARNING_DAYS: a final renewBy this close is worth a warning. */
      renewByWarningDays: number;
    },
  ) {}

  private warnBefore(now: number): number {
    return now + this.deps.renewByWarningDays * DAY_MS;
  }

  /** The services' deadlines for tokens that never expire, which connections carry as their renewBy. */
  private deadlines(): Array<{ app: string; renewBy: number }> {
    return nonExpiringRules(this.deps.catalog).map(({ app, rule }) => ({ app: app.id, renewBy: deadlineOf(rule) }));
  }

  async list(teamIds: string[], now = Date.now()): Promise<Notification[]> {
    const rows = await this.deps.notices.needingAttention(this.warnBefore(now), teamIds, this.deadlines());
    return rows.flatMap((row) => noticesOf(row, this.deps.catalog, this.warnBefore(now), now));
  }

  /** Opens and closes notices across all teams; tells people about new ones. Returns how many e-mails went out. */
  async sweep(now = Date.now()): Promise<{ opened: number; emailed: number }> {
    const { notices, events, mailer, log } = this.deps;
    const rows = await notices.needingAttention(this.warnBefore(now), undefined, this.deadlines());
    const current = rows.flatMap((row) => noticesOf(row, this.deps.catalog, this.warnBefore(now), now));
    const currentKeys = new Set(current.map((n) => n.id));
    for (const stored of await notices.all()) {
      if (!currentKeys.has(`${stored.connection_id}:${stored.kind}`))
        await notices.close(stored.connection_id, stored.kind);
    }
    const stored = new Map((await notices.all()).map((n) => [`${n.connection_id}:${n.kind}`, n]));
    let opened = 0;
    let emailed = 0;
    for (const notice of current) {
      let row = stored.get(notice.id);
      if (!row) {
        if (
          !(await notices.open({
            connection_id: notice.connectionId,
            kind: notice.kind,
            team_id: notice.teamId,
            since: now,
            emailed_at: null,
          }))
        )
          continue;
        opened++;
        if (notice.kind === 'renew_by')
          await events.record(
            notice.teamId,
            notice.connectionId,
            'connection.renew_by_warning',
            'system',
            notice.message,
          );
        row = {
          connection_id: notice.connectionId,
          kind: notice.kind,
          team_id: notice.teamId,
          since: now,
          emailed_at: null,
        };
      }
      if (!mailer || row.emailed_at !== null) continue;
      try {
        const to = await notices.managersOf(notice.teamId);
        await mailer.send({
          to,
          subject: `Hitch: ${notice.connectionName} needs your attention`,
          text: `${notice.message}\n\nOpen Hitch to act on it: ${this.deps.publicUrl}/\n`,
        });
        await notices.markEmailed(notice.connectionId, notice.kind, Date.now());
        emailed++;
      } catch (error) {
        // Left unmarked, so the next sweep tries again.
        log.warn(
          { err: error, connectionId: notice.connectionId, kind: notice.kind },
          'notification e-mail could not be sent',
        );
      }
    }
    return { opened, emailed };
  }
}
