import { newId } from '../../src/ids.ts';
import type { NewConnection } from '../../src/store/schema.ts';

/**
 * A connection row for tests that write the table directly: an active OAuth 2.0 connection of
 * `teamId` with no secrets, no expiry and no lease, changed by `changes`.
 */
export function connectionRow(teamId: string, changes: Partial<NewConnection> = {}): NewConnection {
  const now = Date.now();
  return {
    id: newId(),
    team_id: teamId,
    app: 'github',
    auth: 'oauth2',
    name: 'GitHub',
    status: 'active',
    account_id: null,
    account_label: null,
    scopes: '[]',
    data: '{}',
    secrets_enc: null,
    expires_at: null,
    next_refresh_at: null,
    refreshing_until: null,
    retry_at: null,
    renew_by: null,
    last_verified_at: null,
    last_error: null,
    created_by: null,
    created_at: now,
    updated_at: now,
    ...changes,
  };
}
