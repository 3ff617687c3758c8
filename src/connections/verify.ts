import type { PlacedCredential } from '../auth/inject.ts';
import type { OAuth2Settings } from '../catalog/resolve.ts';
import { HitchError, isHitchError } from '../errors.ts';
import type { Outbound } from '../outbound/types.ts';
import type { ConnectionsRepository } from '../store/repositories/connections.ts';
import type { ConnectionRow } from '../store/schema.ts';
import type { CredentialProvider } from './credentials.ts';
import type { Actor, ConnectionEvents } from './events.ts';
import { lastErrorJson } from './model.ts';

export interface Account {
  id?: string;
  label?: string;
}

/** Reads `a.b[0].c` out of a parsed JSON answer. */
export function readPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const part of path.split('.').flatMap((p) => p.split(/\[(\d+)\]/).filter(Boolean))) {
    if (current === null || typeof current !== 'object') return undefined;
    current = /^\d+$/.test(part) && Array.isArray(current) ? current[Number(part)] : Object.hasOwn(current, part) ? (current as Record<string, unknown>)[part] : undefined;
  }
  return current;
}

function firstText(value: unknown, paths: string[]): string | undefined {
  for (const path of paths) {
    const found = readPath(value, path);
    if (typeof found === 'string' && found !== '') return found.slice(0, 256);
    if (typeof found === 'number') return String(found);
  }
  return undefined;
}

export class VerifyRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** What the service said about it (`message`, `error_description`…), cut short; may echo what was sent, so callers redact. */
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** The service's own words about a refusal, from the usual places in a JSON or text answer. */
function refusalReason(response: { text(): string; json(): unknown }): string | undefined {
  let body: unknown;
  try {
    body = response.json();
  } catch {
    const text = response.text().trim();
    return text && text.length <= 300 && !/[<>]/.test(text) ? text : undefined;
  }
  return firstText(body, ['error_description', 'message', 'error.message', 'errors[0].message', 'detail', 'error']);
}

/**
 * The app's "who am I" request: checks that credentials work and names the
 * account. Used right after authorization (with the new tokens) and by Verify.
 */
export class Verifier {
  constructor(
    private readonly deps: {
      outbound: Outbound;
      credentials: CredentialProvider;
      connections: ConnectionsRepository;
      events: ConnectionEvents;
      /** The verify request of the connection's kind (OAuth, API key, Basic). */
      settingsOf: (row: ConnectionRow) => Promise<{ settings: { verify: OAuth2Settings['verify'] } }>;
      onChange: (connectionId: string) => void;
    },
  ) {}

  /**
   * Calls the verify request with these credentials; VerifyRefused on 401/403.
   * Redirects are followed, with the credentials as the outbound client's list:
   * a redirect to another origin gets none of them.
   */
  async fetchAccount(verify: OAuth2Settings['verify'], placed: readonly PlacedCredential[]): Promise<Account | null> {
    if (!verify) return null;
    const headers: Record<string, string> = { accept: 'application/json', ...(verify.headers ?? {}) };
    const response = await this.deps.outbound.request({ url: verify.url, method: verify.method, headers, body: verify.body ?? null, maxRedirects: 3, credentials: placed });
    if (response.status === 401 || response.status === 403) {
      throw new VerifyRefused(response.status, `The service refused the credentials (HTTP ${response.status}).`, refusalReason(response));
    }
    if (response.status < 200 || response.status >= 300) {
      throw new HitchError('upstream_bad_response', { message: `The service answered the verify request with HTTP ${response.status}; try again later.` });
    }
    let body: unknown = null;
    try {
      body = response.json();
    } catch {
      // A verify endpoint that answers 2xx without JSON still proves the credentials work.
    }
    if (verify.successField && readPath(body, verify.successField) !== true) {
      throw new VerifyRefused(response.status, `The service refused the credentials (${String(readPath(body, 'error') ?? 'not ok')}).`);
    }
    const id = firstText(body, verify.accountId);
    const label = firstText(body, verify.accountLabel);
    return { ...(id ? { id } : {}), ...(label ? { label } : {}) };
  }

  /** Verify now, renewing first when due, and record the outcome. */
  async verify(row: ConnectionRow, actor: Actor): Promise<{ verified: boolean; error?: { code: string; message: string } }> {
    const { connections, events } = this.deps;
    const now = () => Date.now();
    try {
      const { settings } = await this.deps.settingsOf(row);
      let credentials = await this.deps.credentials.get(row.id);
      let account: Account | null;
      try {
        account = await this.fetchAccount(settings.verify, credentials.placed);
      } catch (error) {
        // A key or password is not renewed: its refusal goes straight to the person.
        if (!(error instanceof VerifyRefused) || error.status !== 401 || !credentials.renewable) throw error;
        // One renewal after a 401, then one more try.
        credentials = await this.deps.credentials.get(row.id, { staleVersion: credentials.version });
        account = await this.fetchAccount(settings.verify, credentials.placed);
      }
      await connections.update(row.id, {
        last_verified_at: now(),
        last_error: null,
        updated_at: now(),
        ...(row.status === 'error' ? { status: 'active' as const } : {}),
        ...(account?.label ? { account_label: account.label } : {}),
      });
      await events.record(row.team_id, row.id, 'connection.verified', actor, account?.label ? `The connection works (account ${account.label}).` : 'The connection works.');
      return { verified: true };
    } catch (error) {
      let code: string;
      let message: string;
      if (error instanceof VerifyRefused) {
        code = 'reauthorization_required';
        message = row.auth === 'apiKey' || row.auth === 'basic' ? 'The service no longer accepts this key: enter a new one.' : 'The service no longer accepts this connection: reauthorize it.';
        await connections.update(row.id, { status: 'reauthorization_required', last_error: lastErrorJson(code, message, now()), next_refresh_at: null, updated_at: now() });
        this.deps.onChange(row.id);
        await events.record(row.team_id, row.id, 'connection.reauthorization_required', actor, message);
      } else if (isHitchError(error)) {
        code = error.code;
        message = error.message;
        if (code !== 'reauthorization_required' && code !== 'connection_not_authorized') {
          await connections.update(row.id, { last_error: lastErrorJson(code, message, now()), updated_at: now() });
        }
      } else {
        throw error;
      }
      await events.record(row.team_id, row.id, 'connection.verify_failed', actor, message);
      return { verified: false, error: { code, message } };
    }
  }
}
