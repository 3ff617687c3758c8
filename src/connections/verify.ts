import type { Outbound } from '../outbound/types.ts';
import type { ConnectionsRepository } from '../store/repositories/connections.ts';
import type { ConnectionRow } from '../store/schema.ts';
import type { Credentials, CredentialProvider } from './credentials.ts';
import type { Actor, ConnectionEvents } from './events.ts';
import { failureAt } from './failures.ts';
import { lastErrorJson } from './model.ts';
import { fetchAccount, VerifyRefused, type Account } from './verify-request.ts';

export { fetchAccount, readPath, VerifyRefused, type Account } from './verify-request.ts';

/**
 * The Verify button: the app's "who am I" request with the connection's current
 * credentials (renewed first when due, and once more after a 401), and the outcome recorded.
 */
export class Verifier {
  constructor(
    private readonly deps: {
      outbound: Outbound;
      credentials: CredentialProvider;
      connections: ConnectionsRepository;
      events: ConnectionEvents;
      onChange: (connectionId: string) => void;
    },
  ) {}

  private async accountOf(credentials: Credentials): Promise<Account | null> {
    const { kind, settings } = credentials.resolved;
    // OpenID discovery may supply the verify request (its userinfo endpoint).
    const prepared = kind.prepare ? await kind.prepare(settings) : settings;
    return fetchAccount(this.deps.outbound, prepared.verify, credentials.placed, credentials.resolved.expiredWhen);
  }

  /** Verify now, renewing first when due, and record the outcome. */
  async verify(
    row: ConnectionRow,
    actor: Actor,
  ): Promise<{ verified: boolean; error?: { code: string; message: string } }> {
    const { connections, events } = this.deps;
    const now = () => Date.now();
    // A browser kind whose tokens a 401 shows lost (OAuth 1.0a) is reauthorized, like a renewable one.
    let renewable = row.auth === 'oauth2' || row.auth === 'oauth1' || row.auth === 'jwt';
    try {
      let credentials = await this.deps.credentials.get(row.id);
      renewable = credentials.renewable || credentials.resolved.kind.lostOn401 === true;
      let account: Account | null;
      try {
        account = await this.accountOf(credentials);
      } catch (error) {
        // A key or password is not renewed: its refusal goes straight to the person.
        if (!(error instanceof VerifyRefused) || !error.expired || !credentials.renewable) throw error;
        // One renewal after an answer that says the credentials lapsed, then one more try.
        credentials = await this.deps.credentials.get(row.id, { staleVersion: credentials.version });
        account = await this.accountOf(credentials);
      }
      await connections.update(row.id, {
        last_verified_at: now(),
        last_error: null,
        updated_at: now(),
        ...(row.status === 'error' ? { status: 'active' as const } : {}),
        ...(account?.label ? { account_label: account.label } : {}),
      });
      await events.record(
        row.team_id,
        row.id,
        'connection.verified',
        actor,
        account?.label ? `The connection works (account ${account.label}).` : 'The connection works.',
      );
      return { verified: true };
    } catch (error) {
      const failure = failureAt('verify', error, { renewable });
      if (!failure) throw error;
      const { reason: code, message } = failure;
      if (failure.change === 'reauthorization_required') {
        await connections.update(row.id, {
          status: 'reauthorization_required',
          last_error: lastErrorJson(code, message, failure.action, now()),
          next_refresh_at: null,
          updated_at: now(),
        });
        this.deps.onChange(row.id);
        await events.record(row.team_id, row.id, 'connection.reauthorization_required', actor, message);
      } else if (code !== 'reauthorization_required' && code !== 'connection_not_authorized') {
        await connections.update(row.id, {
          last_error: lastErrorJson(code, message, failure.action, now()),
          updated_at: now(),
        });
      }
      await events.record(row.team_id, row.id, 'connection.verify_failed', actor, message);
      return { verified: false, error: { code, message } };
    }
  }
}
