import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The tables' types. Both dialects store the same shapes:
 * - times are integers (milliseconds since the epoch), so comparisons and
 *   indexes behave alike on SQLite and PostgreSQL;
 * - booleans are integers 0/1;
 * - JSON is text, parsed by the repository that owns the table;
 * - every column holding a secret is vault ciphertext (see src/vault), bound to
 *   its table, row and column, and its name ends in `_enc`.
 */

/** Set by the database on insert when omitted. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** Written once, never updated. */
type Immutable<T> = ColumnType<T, T, never>;

export interface UsersTable {
  id: Immutable<string>;
  email: string;
  password_hash: string;
  is_admin: Defaulted<number>;
  created_at: Immutable<number>;
  updated_at: number;
}

export interface TeamsTable {
  id: Immutable<string>;
  name: string;
  created_at: Immutable<number>;
}

export type TeamRole = 'owner' | 'admin' | 'member';

export interface MembershipsTable {
  team_id: Immutable<string>;
  user_id: Immutable<string>;
  role: TeamRole;
  created_at: Immutable<number>;
}

export interface SessionsTable {
  /** SHA-256 of the cookie's token; the token itself is never stored. */
  id: Immutable<string>;
  user_id: Immutable<string>;
  created_at: Immutable<number>;
  last_seen_at: number;
  expires_at: number;
}

export interface ApiTokensTable {
  id: Immutable<string>;
  user_id: Immutable<string>;
  name: string;
  /** SHA-256 of the token. */
  token_hash: Immutable<string>;
  created_at: Immutable<number>;
  last_used_at: number | null;
  /** Past this (ms), the token is refused; null: no expiry. */
  expires_at: Immutable<number | null>;
  /** JSON of the token's restrictions (src/accounts/token-restrictions.ts); null: the user's full rights. */
  restrictions: Immutable<string | null>;
}

export interface DataKeysTable {
  id: Immutable<string>;
  /** The data key encrypted by a master key (vault envelope). */
  wrapped_key: string;
  /** Fingerprint of the master key that wrapped it, to say which key is missing. */
  master_key_id: string;
  created_at: Immutable<number>;
}

export type ConnectionStatus = 'pending' | 'active' | 'error' | 'reauthorization_required';

export interface ConnectionsTable {
  id: Immutable<string>;
  team_id: Immutable<string>;
  app: Immutable<string>;
  auth: string;
  name: string;
  status: ConnectionStatus;
  account_id: string | null;
  account_label: string | null;
  /** JSON string[]: granted scopes. */
  scopes: string;
  /** JSON object: non-secret parameters given and values learned while authorizing. */
  data: string;
  /** Vault ciphertext of a JSON object: tokens, keys, client secret. */
  secrets_enc: string | null;
  /** Bumped on every change of credentials, so caches and waiters see a new version. */
  credentials_version: Defaulted<number>;
  expires_at: number | null;
  next_refresh_at: number | null;
  /** Lease: the refresh in progress must finish before this time. */
  refreshing_until: number | null;
  refresh_failures: Defaulted<number>;
  /** Earliest time of the next renewal attempt after a failure (backoff). */
  retry_at: number | null;
  renew_by: number | null;
  last_verified_at: number | null;
  /** When the credentials were last renewed (a refresh); null until the first. */
  last_renewed_at: Defaulted<number | null>;
  /** JSON {code, message, at} or null. */
  last_error: string | null;
  created_by: string | null;
  created_at: Immutable<number>;
  updated_at: number;
}

export interface OAuthFlowsTable {
  /** SHA-256 of the `state` sent to the service. */
  state_hash: Immutable<string>;
  connection_id: Immutable<string>;
  team_id: Immutable<string>;
  user_id: Immutable<string>;
  /** `create` or `reauthorize`. */
  purpose: Immutable<string>;
  /** Vault ciphertext of JSON: PKCE verifier, nonce, pending parameters and secrets. */
  payload_enc: Immutable<string>;
  /** Expected `iss` (RFC 9207), when known. */
  issuer: Immutable<string | null>;
  expires_at: Immutable<number>;
  created_at: Immutable<number>;
}

export interface RateLimitsTable {
  key: Immutable<string>;
  count: number;
  reset_at: number;
}

export interface EventsTable {
  id: Immutable<string>;
  team_id: Immutable<string>;
  type: Immutable<string>;
  at: Immutable<number>;
  /** `user:<id>` or `system`. */
  actor: Immutable<string>;
  connection_id: Immutable<string | null>;
  message: Immutable<string>;
}

export interface ScenariosTable {
  id: Immutable<string>;
  team_id: Immutable<string>;
  name: string;
  active: number;
  /** The schedule: a run every this many minutes while active; null runs only on demand. */
  interval_minutes: number | null;
  /** JSON ScenarioModule[]. */
  modules: string;
  /** Why the scenario was turned off on its own (a connection needs reauthorization). */
  paused_reason: string | null;
  next_run_at: number | null;
  created_by: string | null;
  created_at: Immutable<number>;
  updated_at: number;
}

/** Which connections and keys a scenario's modules use: `usedBy` and the 409 on delete read this. */
export interface ScenarioUsesTable {
  scenario_id: Immutable<string>;
  kind: Immutable<'connection' | 'key'>;
  ref_id: Immutable<string>;
}

export type ExecutionStatus = 'running' | 'success' | 'error';

/** What started an execution: a person or the API (`run`), the schedule, or an agent's tool call (`mcp`). */
export type ExecutionTrigger = 'run' | 'schedule' | 'mcp';

export interface ExecutionsTable {
  id: Immutable<string>;
  /** Null for an agent's tool call, which belongs to no scenario. */
  scenario_id: Immutable<string | null>;
  team_id: Immutable<string>;
  trigger: Immutable<ExecutionTrigger>;
  status: ExecutionStatus;
  started_at: Immutable<number>;
  finished_at: number | null;
  /** JSON: each module's status, output, error and call (method, URL without secrets, status, ms). */
  modules: string;
  /** JSON {code, message} when the run stopped before or between modules. */
  error: string | null;
}

export interface KeysTable {
  id: Immutable<string>;
  team_id: Immutable<string>;
  name: string;
  /** apiKey, basic, certificate, aes or pgp. */
  type: Immutable<string>;
  /** JSON: the non-secret parameters. */
  parameters: string;
  /** Vault ciphertext of a JSON object: the secret parameters. */
  secrets_enc: string | null;
  fingerprint: string | null;
  /** JSON list of the origins the key may be sent to (apiKey, basic, certificate). */
  origins: string;
  created_by: string | null;
  created_at: Immutable<number>;
  updated_at: number;
}

/** A connection needing attention for one reason, while it does (Connections II notifications). */
export interface ConnectionNoticesTable {
  connection_id: Immutable<string>;
  /** `reauthorization_required`, `failing` or `renew_by`. */
  kind: Immutable<string>;
  team_id: Immutable<string>;
  since: Immutable<number>;
  emailed_at: number | null;
}

export interface TeamWebhooksTable {
  team_id: Immutable<string>;
  url: string;
  /** Vault ciphertext of the signing secret. */
  secret_enc: string;
  created_by: string | null;
  created_at: Immutable<number>;
  updated_at: number;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  id: Immutable<string>;
  team_id: Immutable<string>;
  event_id: Immutable<string>;
  event_type: Immutable<string>;
  url: Immutable<string>;
  /** The JSON body sent, fixed when the event happened (events themselves may expire before the last retry). */
  payload: Immutable<string>;
  status: WebhookDeliveryStatus;
  attempts: Defaulted<number>;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Immutable<number>;
  updated_at: number;
  delivered_at: number | null;
}

/** `pending` until a team admin decides; `expired` is never stored (a pending row past `expires_at` reads so). */
export type ApprovalStatus = 'pending' | 'approved' | 'denied';

/** A write an agent asked for with a token created with `approval: "writes"`, waiting for a person. */
export interface ApprovalsTable {
  id: Immutable<string>;
  team_id: Immutable<string>;
  connection_id: Immutable<string>;
  token_id: Immutable<string>;
  token_name: Immutable<string>;
  /** The MCP tool the agent called, and what it would send (method and path below the base URL, without secrets). */
  tool: Immutable<string>;
  method: Immutable<string>;
  path: Immutable<string>;
  /** JSON of the tool's arguments, as the agent gave them: credentials are placed later, when it runs. */
  arguments: Immutable<string>;
  status: ApprovalStatus;
  created_at: Immutable<number>;
  expires_at: Immutable<number>;
  decided_by: string | null;
  decided_at: number | null;
  /** JSON of the tool result once the approved call ran, redacted like every tool result. */
  outcome: string | null;
  execution_id: string | null;
}

export interface Database {
  users: UsersTable;
  teams: TeamsTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  data_keys: DataKeysTable;
  connections: ConnectionsTable;
  oauth_flows: OAuthFlowsTable;
  rate_limits: RateLimitsTable;
  events: EventsTable;
  connection_notices: ConnectionNoticesTable;
  team_webhooks: TeamWebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  scenarios: ScenariosTable;
  scenario_uses: ScenarioUsesTable;
  executions: ExecutionsTable;
  keys: KeysTable;
  approvals: ApprovalsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type TeamRow = Selectable<TeamsTable>;
export type MembershipRow = Selectable<MembershipsTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type DataKeyRow = Selectable<DataKeysTable>;
export type ConnectionRow = Selectable<ConnectionsTable>;
export type NewConnection = Insertable<ConnectionsTable>;
export type ConnectionUpdate = Updateable<ConnectionsTable>;
export type OAuthFlowRow = Selectable<OAuthFlowsTable>;
export type EventRow = Selectable<EventsTable>;
export type ScenarioRow = Selectable<ScenariosTable>;
export type ExecutionRow = Selectable<ExecutionsTable>;
export type ApprovalRow = Selectable<ApprovalsTable>;
export type KeyRow = Selectable<KeysTable>;
export type TeamWebhookRow = Selectable<TeamWebhooksTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type ConnectionNoticeRow = Selectable<ConnectionNoticesTable>;
