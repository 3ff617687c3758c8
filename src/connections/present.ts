import type { AppDefinition } from '../catalog/schema.ts';
import type { ConnectionRow } from '../store/schema.ts';
import { lastErrorAction } from './failures.ts';
import { reauthorizeByOf } from './grant-lifetime.ts';
import { iso, parseData, parseLastError, parseScopes, type ConnectionView } from './model.ts';

/** Which scenarios use a connection. Scenarios (a later feature) plug in here; until then nothing uses any. */
export interface ConnectionUsage {
  usedBy(connectionIds: string[]): Promise<Map<string, Array<{ scenarioId: string; name: string }>>>;
}

export const noUsage: ConnectionUsage = { usedBy: async () => new Map() };

/** Row → the public connection. The one place that decides what a person sees; secrets never reach it. */
export function presentConnection(
  row: ConnectionRow,
  app: AppDefinition | undefined,
  usedBy: Array<{ scenarioId: string; name: string }> = [],
): ConnectionView {
  const data = parseData(row);
  const scopes = parseScopes(row);
  const descriptions = new Map((app?.scopes ?? []).map((s) => [s.name, s.description]));
  const fullAccess = Boolean(app?.fullAccess);
  const account =
    row.account_id || row.account_label
      ? {
          ...(row.account_id ? { id: row.account_id } : {}),
          ...(row.account_label ? { label: row.account_label } : {}),
        }
      : null;
  const lastError = parseLastError(row);
  return {
    id: row.id,
    teamId: row.team_id,
    app: row.app,
    auth: row.auth,
    name: row.name,
    status: row.status,
    account,
    scopes,
    permissions: fullAccess
      ? [
          {
            scope: '*',
            description: app?.fullAccess?.description ?? `Full access to your ${app?.name ?? row.app} account`,
          },
        ]
      : scopes.map((scope) => ({ scope, description: descriptions.get(scope) ?? scope })),
    fullAccess,
    ...(fullAccess && app?.fullAccess ? { fullAccessDocsUrl: app.fullAccess.docsUrl } : {}),
    expiresAt: iso(row.expires_at),
    renewBy: iso(row.renew_by),
    reauthorizeBy: iso(reauthorizeByOf(row, app)),
    lastVerifiedAt: iso(row.last_verified_at),
    lastRenewedAt: iso(row.last_renewed_at),
    lastError: lastError && { ...lastError, action: lastErrorAction(row.status, lastError.action) },
    usedBy,
    createdBy: row.created_by,
    ...(data.secretsSet ? { secretsSet: data.secretsSet } : {}),
    data: { ...data.parameters, ...data.learned },
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}
