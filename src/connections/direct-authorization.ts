import type { SplitParameters } from '../catalog/parameters.ts';
import type { AppDefinition, ConnectionKindDefinition } from '../catalog/schema.ts';
import { newId } from '../ids.ts';
import type { ConnectionsRepository } from '../store/repositories/connections.ts';
import type { ConnectionRow } from '../store/schema.ts';
import type { Vault } from '../vault/types.ts';
import type { CredentialCache } from './credential-cache.ts';
import { destinationsOf } from './destinations.ts';
import type { ConnectionEvents } from './events.ts';
import { failureAt } from './failures.ts';
import { authorizationOf, type Accepted } from './kinds/kind.ts';
import { parseData, secretContext, secretsSetOf, type ConnectionData } from './model.ts';
import { nextRefreshAt } from './refresh-timing.ts';
import type { ConnectionSettings } from './settings.ts';
import { Redactor } from '../auth/redaction.ts';

export interface DirectConnectionInput {
  teamId: string;
  app: AppDefinition;
  kind: ConnectionKindDefinition;
  name: string;
  parameters: SplitParameters;
  scopes: string[];
}

/**
 * Kinds authorized without a browser (they have no `consent` step): API
 * keys, Basic, session login and OAuth 2.0 client credentials. The service is asked first
 * (the kind's `accept`); only when it accepts is anything saved — on create a
 * new active connection, on reauthorize the new values in place of the old.
 */
export class DirectAuthorization {
  constructor(
    private readonly deps: {
      connections: ConnectionsRepository;
      vault: Vault;
      events: ConnectionEvents;
      settings: ConnectionSettings;
      cache: CredentialCache;
    },
  ) {}

  /** Whether this kind, with these parameters, is authorized here rather than through a browser. */
  handles(definition: ConnectionKindDefinition, parameters: SplitParameters): boolean {
    return authorizationOf(this.deps.settings.kindOf(definition, parameters)) === 'direct';
  }

  /** Asks the service; throws `credentials_rejected` (422) with its reason when it says no. */
  private async accept(
    app: AppDefinition,
    definition: ConnectionKindDefinition,
    parameters: SplitParameters,
    scopes: string[],
  ): Promise<Accepted> {
    const { kind, settings: resolved, expiredWhen } = this.deps.settings.forValues(app, definition, parameters);
    const settings = kind.prepare ? await kind.prepare(resolved) : resolved;
    const placed = !kind.consent && !kind.renew ? kind.place(settings, { parameters: parameters.secrets }) : [];
    // A service's refusal may quote what was sent: every secret and its placed forms are cut out.
    const redactor = new Redactor();
    redactor.addSecrets(Object.values(parameters.secrets));
    redactor.addCredentials(placed);
    const redact = (text: string) => redactor.text(text);
    try {
      return await kind.accept!(settings, { secrets: parameters.secrets, scopes, expiredWhen });
    } catch (error) {
      throw (
        failureAt('acceptance', error, {
          words: kind.words,
          redact,
          renewable: kind.renew !== undefined,
          consentUrl: settings.consentUrl,
        }) ?? error
      );
    }
  }

  /** Creates an active connection once the service accepted it; returns its id. Nothing is saved otherwise. */
  async create(actor: { userId: string }, input: DirectConnectionInput): Promise<string> {
    const accepted = await this.accept(input.app, input.kind, input.parameters, input.scopes);
    const now = Date.now();
    const id = newId(now);
    const data: ConnectionData = {
      parameters: input.parameters.values,
      learned: {},
      requestedScopes: input.scopes,
      secretsSet: secretsSetOf(accepted.secrets),
    };
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
      secrets_enc: this.deps.vault.encryptJson(
        { ...accepted.secrets, destinations: destinationsOf(input.kind, input.parameters.values) },
        secretContext(id),
      ),
      expires_at: accepted.expiresAt,
      next_refresh_at: nextRefreshAt(now, accepted.expiresAt),
      refreshing_until: null,
      retry_at: null,
      renew_by: accepted.renewBy ?? null,
      last_verified_at: accepted.verified ? now : null,
      last_error: null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await this.deps.events.record(
      input.teamId,
      id,
      'connection.created',
      actor,
      `Connection "${input.name}" to ${input.app.name} was created.`,
    );
    await this.deps.events.record(
      input.teamId,
      id,
      'connection.authorized',
      actor,
      accepted.account?.label ? `Authorized as ${accepted.account.label}.` : 'The service accepted the credentials.',
    );
    return id;
  }

  /**
   * Checks the connection's values with `parameters` laid over them, and only
   * when the service accepts them replaces the old ones. A refusal changes nothing.
   */
  async reauthorize(
    actor: { userId: string },
    row: ConnectionRow,
    app: AppDefinition,
    kind: ConnectionKindDefinition,
    parameters: SplitParameters,
    scopes: string[],
  ): Promise<void> {
    const accepted = await this.accept(app, kind, parameters, scopes);
    const now = Date.now();
    const data = parseData(row);
    await this.deps.connections.bumpCredentials(row.id, {
      status: 'active',
      secrets_enc: this.deps.vault.encryptJson(
        { ...accepted.secrets, destinations: destinationsOf(kind, parameters.values) },
        secretContext(row.id),
      ),
      scopes: JSON.stringify(accepted.scopes),
      data: JSON.stringify({
        ...data,
        parameters: parameters.values,
        requestedScopes: scopes,
        secretsSet: secretsSetOf(accepted.secrets),
      }),
      expires_at: accepted.expiresAt,
      next_refresh_at: nextRefreshAt(now, accepted.expiresAt),
      renew_by: accepted.renewBy ?? null,
      refreshing_until: null,
      refresh_failures: 0,
      retry_at: null,
      last_error: null,
      last_verified_at: accepted.verified ? now : row.last_verified_at,
      account_id: accepted.account?.id ?? row.account_id,
      account_label: accepted.account?.label ?? row.account_label,
      updated_at: now,
    });
    this.deps.cache.drop(row.id);
    await this.deps.events.record(
      row.team_id,
      row.id,
      'connection.reauthorized',
      actor,
      accepted.account?.label
        ? `Reauthorized as ${accepted.account.label}.`
        : 'New credentials were accepted by the service.',
    );
  }
}
