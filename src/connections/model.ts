import type { ParameterValue } from '../catalog/parameters.ts';
import type { ConnectionRow, ConnectionStatus } from '../store/schema.ts';
import type { LastErrorAction } from './last-error-action.ts';

/** Non-secret data of a connection (the `data` column). */
export interface ConnectionData {
  /** Non-secret parameters the person gave. */
  parameters: Record<string, ParameterValue>;
  /** Values learned while authorizing (Salesforce's `instance_url`, QuickBooks' `realmId`). */
  learned: Record<string, string>;
  /** Scopes asked for, kept for reauthorization. */
  requestedScopes?: string[];
  /**
   * The names (never the values) of the secret parameters `secrets_enc` holds, written with it:
   * the API's `secretsSet`, so a form shows "set" only for what is there. Absent before it was kept.
   */
  secretsSet?: string[];
}

/** Everything secret about a connection: one vault ciphertext, `secrets_enc`. */
export interface ConnectionSecrets {
  accessToken?: string;
  refreshToken?: string;
  tokenType?: string;
  /** What a kind keeps besides the tokens above, by its own names (OAuth 1.0a's token secret, a session cookie). */
  kindSecrets?: Record<string, string>;
  /** Secret parameters: the person's client secret, API keys, passwords. */
  parameters: Record<string, string>;
  /**
   * The destination parameters these secrets were entered or issued for (destinations.ts):
   * inside the ciphertext, so where a secret may go cannot be changed apart from it.
   */
  destinations?: Record<string, string>;
  /** The token endpoint that issued `refreshToken`: it is sent nowhere else. */
  tokenEndpoint?: string;
}

/** The `last_error` column: the failure's reason code, its sentence, when, and what it asks of a person. */
export interface StoredLastError {
  code: string;
  message: string;
  at: string;
  /** Absent from errors recorded before actions were kept. */
  action?: LastErrorAction;
}

/** The last error as the API shows it: always with its action (failures.ts `lastErrorAction`). */
export interface LastError extends StoredLastError {
  action: LastErrorAction;
}

/** The public shape of a connection (the API contract). Never a secret. */
export interface ConnectionView {
  id: string;
  teamId: string;
  app: string;
  auth: string;
  name: string;
  status: ConnectionStatus;
  account: { id?: string; label?: string } | null;
  scopes: string[];
  permissions: Array<{ scope: string; description: string }>;
  fullAccess: boolean;
  fullAccessDocsUrl?: string;
  expiresAt: string | null;
  /** When the grant ends, when known (the service said, or the catalog documents its lifetime). */
  renewBy: string | null;
  /** `renewBy` when refreshing cannot move it: people must reauthorize by then. */
  reauthorizeBy: string | null;
  lastVerifiedAt: string | null;
  /** When the credentials were last renewed by a refresh. */
  lastRenewedAt: string | null;
  lastError: LastError | null;
  usedBy: Array<{ scenarioId: string; name: string }>;
  /** The id of the user who created it; null for one made by the system or before creators were kept. */
  createdBy: string | null;
  /** Names of the secret parameters it holds (their values never leave); absent when not known. */
  secretsSet?: string[];
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export const SECRETS_FIELD = 'secrets';

export function secretContext(connectionId: string) {
  return { table: 'connections', id: connectionId, field: SECRETS_FIELD } as const;
}

export function parseData(row: Pick<ConnectionRow, 'data'>): ConnectionData {
  const parsed = JSON.parse(row.data) as Partial<ConnectionData>;
  return {
    parameters: parsed.parameters ?? {},
    learned: parsed.learned ?? {},
    ...(parsed.requestedScopes ? { requestedScopes: parsed.requestedScopes } : {}),
    ...(parsed.secretsSet ? { secretsSet: parsed.secretsSet } : {}),
  };
}

/** What `data.secretsSet` records of secrets about to be stored. */
export function secretsSetOf(secrets: Pick<ConnectionSecrets, 'parameters'>): string[] {
  return Object.keys(secrets.parameters).sort();
}

export function parseScopes(row: Pick<ConnectionRow, 'scopes'>): string[] {
  return JSON.parse(row.scopes) as string[];
}

export function parseLastError(row: Pick<ConnectionRow, 'last_error'>): StoredLastError | null {
  return row.last_error ? (JSON.parse(row.last_error) as StoredLastError) : null;
}

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function lastErrorJson(code: string, message: string, action: LastErrorAction, now: number): string {
  return JSON.stringify({ code, message, at: new Date(now).toISOString(), action } satisfies StoredLastError);
}

/** Unique, in order of first appearance. */
export function unionScopes(...lists: Array<readonly string[] | undefined>): string[] {
  return [...new Set(lists.flatMap((l) => l ?? []).filter(Boolean))];
}
