import type { PlacedCredential } from '../auth/inject.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { SplitParameters } from '../catalog/parameters.ts';
import { resolveOAuth2, type VerifySettings } from '../catalog/resolve.ts';
import type { AppDefinition, ConnectionKindDefinition } from '../catalog/schema.ts';
import { HitchError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { ConnectionsRepository } from '../store/repositories/connections.ts';
import type { ConnectionRow } from '../store/schema.ts';
import type { Vault } from '../vault/types.ts';
import { apiKeyCredentials, type StaticCredentials } from './api-key.ts';
import { basicCredentials } from './basic.ts';
import { clientCredentialsTokens } from './client-credentials.ts';
import type { CredentialProvider } from './credentials.ts';
import { destinationsOf } from './destinations.ts';
import type { ConnectionEvents } from './events.ts';
import { parseData, secretContext, type ConnectionData, type ConnectionSecrets } from './model.ts';
import type { OAuth2Protocol } from './oauth2.ts';
import { nextRefreshAt, RenewalError } from './renewal.ts';
import { VerifyRefused, type Account, type Verifier } from './verify.ts';

/** What a kind without a browser step brings back once the service has accepted it. */
interface Accepted {
  secrets: ConnectionSecrets;
  expiresAt: number | null;
  scopes: string[];
  account: Account | null;
  /** True when the verify request ran and the service said yes. */
  verified: boolean;
}

export interface DirectConnectionInput {
  teamId: string;
  app: AppDefinition;
  kind: ConnectionKindDefinition;
  name: string;
  parameters: SplitParameters;
  scopes: string[];
}

const KIND_WORDS: Record<string, string> = { apiKey: 'this key', basic: 'this username and password', oauth2: 'this OAuth client' };

/** A service's error text may echo what was sent: every secret (and its placed form) is cut out of it. */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}

/**
 * Kinds authorized without a browser: API keys, Basic, and OAuth 2.0 client
 * credentials. The service is asked first (the verify request, or the token
 * endpoint); only when it accepts is anything saved — on create a new active
 * connection, on reauthorize the new values in place of the old.
 */
export class DirectAuthorization {
  constructor(
    private readonly deps: {
      catalog: Catalog;
      connections: ConnectionsRepository;
      vault: Vault;
      verifier: Verifier;
      events: ConnectionEvents;
      oauth2: OAuth2Protocol;
      credentials: CredentialProvider;
      env?: NodeJS.ProcessEnv;
    },
  ) {}

  /** Whether this kind, with these parameters, is authorized here rather than through a browser. */
  handles(app: AppDefinition, kind: ConnectionKindDefinition, parameters: SplitParameters): boolean {
    if (kind.type !== 'oauth2') return true;
    return resolveOAuth2(app, kind, { values: parameters.values, secrets: parameters.secrets }, this.deps.env).flow === 'client_credentials';
  }

  /** What a key or Basic connection sends, from its parameters; null for OAuth kinds. */
  staticCredentials(kind: ConnectionKindDefinition, parameters: SplitParameters): StaticCredentials | null {
    if (kind.type === 'apiKey') return apiKeyCredentials(kind, parameters);
    if (kind.type === 'basic') return basicCredentials(kind, parameters);
    return null;
  }

  /** The verify request of any kind, for the Verifier. */
  async verifyOf(row: ConnectionRow, oauth2VerifyOf: (row: ConnectionRow) => Promise<{ settings: { verify: VerifySettings } }>): Promise<{ settings: { verify: VerifySettings } }> {
    if (row.auth === 'oauth2') return oauth2VerifyOf(row);
    const app = this.deps.catalog.require(row.app);
    const kind = this.deps.catalog.kind(app, row.auth);
    const secrets = row.secrets_enc ? await this.deps.vault.decryptJson<ConnectionSecrets>(row.secrets_enc, secretContext(row.id)) : { parameters: {} };
    const credentials = this.staticCredentials(kind, { values: parseData(row).parameters, secrets: secrets.parameters });
    return { settings: { verify: credentials?.verify } };
  }

  /** Asks the service; throws `credentials_rejected` (422) with its reason when it says no. */
  private async accept(app: AppDefinition, kind: ConnectionKindDefinition, parameters: SplitParameters, scopes: string[]): Promise<Accepted> {
    const words = KIND_WORDS[kind.type] ?? 'these credentials';
    const redact = (text: string, placed: PlacedCredential[] = []) =>
      redactSecrets(text, [...Object.values(parameters.secrets), ...placed.map((p) => p.value), ...placed.map((p) => p.value.replace(/^\S+\s+/, ''))]);

    if (kind.type === 'oauth2') {
      const settings = await this.deps.oauth2.complete(resolveOAuth2(app, kind, { values: parameters.values, secrets: parameters.secrets }, this.deps.env));
      try {
        const tokens = await this.deps.oauth2.clientCredentials(settings, scopes);
        const renewed = clientCredentialsTokens(tokens, { parameters: parameters.secrets }, Date.now());
        const clientId = settings.client?.clientId;
        return { ...renewed, scopes: renewed.scopes ?? scopes, account: clientId ? { id: clientId, label: clientId } : null, verified: true };
      } catch (error) {
        if (!(error instanceof RenewalError)) throw error;
        if (error.reason === 'transient') throw new HitchError('oauth_failed', { message: `The service did not issue a token: ${redact(error.message)}` });
        throw new HitchError('credentials_rejected', { message: `The service refused ${words} (${error.code}): ${redact(error.message)}` });
      }
    }

    const credentials = this.staticCredentials(kind, parameters)!;
    let account: Account | null = null;
    try {
      account = await this.deps.verifier.fetchAccount(credentials.verify, credentials.placed);
    } catch (error) {
      if (!(error instanceof VerifyRefused)) throw error;
      const said = error.reason ? `: "${redact(error.reason, credentials.placed).slice(0, 200)}"` : '';
      throw new HitchError('credentials_rejected', { message: `The service refused ${words} (HTTP ${error.status})${said}. Check ${words} and try again.` });
    }
    return { secrets: { parameters: parameters.secrets }, expiresAt: null, scopes: [], account, verified: credentials.verify !== undefined };
  }

  /** Creates an active connection once the service accepted it; returns its id. Nothing is saved otherwise. */
  async create(actor: { userId: string }, input: DirectConnectionInput): Promise<string> {
    const accepted = await this.accept(input.app, input.kind, input.parameters, input.scopes);
    const now = Date.now();
    const id = newId(now);
    const data: ConnectionData = { parameters: input.parameters.values, learned: {}, requestedScopes: input.scopes };
    await this.deps.connections.insert({
      id,
      team_id: input.teamId,
      app: input.app.id,
      auth: input.kind.type,
      name: input.name,
      status: 'active',
      account_id: accepted.account?.id ?? null,
      account_label: accepted.account?.label ?? null,
      scopes: JSON.stringify(accepted.scopes),
      data: JSON.stringify(data),
      secrets_enc: this.deps.vault.encryptJson({ ...accepted.secrets, destinations: destinationsOf(input.kind, input.parameters.values) }, secretContext(id)),
      expires_at: accepted.expiresAt,
      next_refresh_at: nextRefreshAt(now, accepted.expiresAt),
      refreshing_until: null,
      retry_at: null,
      renew_by: null,
      last_verified_at: accepted.verified ? now : null,
      last_error: null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await this.deps.events.record(input.teamId, id, 'connection.created', actor, `Connection "${input.name}" to ${input.app.name} was created.`);
    await this.deps.events.record(input.teamId, id, 'connection.authorized', actor, accepted.account?.label ? `Authorized as ${accepted.account.label}.` : 'The service accepted the credentials.');
    return id;
  }

  /**
   * Checks the connection's values with `parameters` laid over them, and only
   * when the service accepts them replaces the old ones. A refusal changes nothing.
   */
  async reauthorize(actor: { userId: string }, row: ConnectionRow, app: AppDefinition, kind: ConnectionKindDefinition, parameters: SplitParameters, scopes: string[]): Promise<void> {
    const accepted = await this.accept(app, kind, parameters, scopes);
    const now = Date.now();
    const data = parseData(row);
    await this.deps.connections.bumpCredentials(row.id, {
      status: 'active',
      secrets_enc: this.deps.vault.encryptJson({ ...accepted.secrets, destinations: destinationsOf(kind, parameters.values) }, secretContext(row.id)),
      scopes: JSON.stringify(accepted.scopes),
      data: JSON.stringify({ ...data, parameters: parameters.values, requestedScopes: scopes }),
      expires_at: accepted.expiresAt,
      next_refresh_at: nextRefreshAt(now, accepted.expiresAt),
      refreshing_until: null,
      refresh_failures: 0,
      retry_at: null,
      last_error: null,
      last_verified_at: accepted.verified ? now : row.last_verified_at,
      account_id: accepted.account?.id ?? row.account_id,
      account_label: accepted.account?.label ?? row.account_label,
      updated_at: now,
    });
    this.deps.credentials.cache.drop(row.id);
    await this.deps.events.record(row.team_id, row.id, 'connection.reauthorized', actor, accepted.account?.label ? `Reauthorized as ${accepted.account.label}.` : 'New credentials were accepted by the service.');
  }
}
