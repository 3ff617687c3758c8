import type { Catalog } from '../catalog/catalog.ts';
import { validateParameters, type SplitParameters } from '../catalog/parameters.ts';
import { checkExtraOAuthParameters } from '../catalog/reserved-parameters.ts';
import { HitchError, invalidField } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../log.ts';
import type { ConnectionsRepository } from '../store/repositories/connections.ts';
import type { ConnectionRow, ConnectionStatus } from '../store/schema.ts';
import type { Vault } from '../vault/types.ts';
import type { CredentialCache } from './credential-cache.ts';
import { changedDestinations, destinationsOf, requireSecretsForNewDestination } from './destinations.ts';
import type { DirectAuthorization } from './direct-authorization.ts';
import type { ConnectionEvents } from './events.ts';
import {
  parseData,
  parseScopes,
  secretContext,
  secretsSetOf,
  unionScopes,
  type ConnectionData,
  type ConnectionSecrets,
  type ConnectionView,
} from './model.ts';
import type { BrowserAuthorization } from './browser-authorization.ts';
import { presentConnection, type ConnectionUsage } from './present.ts';
import type { ConnectionSettings } from './settings.ts';
import type { Verifier } from './verify.ts';
import { requireChangeRight, type Caller } from './change-rights.ts';
import {
  checkName,
  checkScopes,
  defaultConnectionName,
  LIST_LIMIT_MAX,
  noScenarioScopes,
  type ScenarioScopes,
} from './request-checks.ts';

export interface CreateConnectionInput {
  teamId: string;
  app: string;
  auth?: string;
  name?: string;
  scopes?: string[];
  parameters?: Record<string, unknown>;
  /** Ask for what this scenario's modules of the app need (least privilege). */
  scenarioId?: string;
}

export interface ReauthorizeInput {
  scopes?: string[];
  /** Extend permissions with what this scenario's modules need; the connection keeps its id. */
  scenarioId?: string;
  parameters?: Record<string, unknown>;
  allowAccountChange?: boolean;
}

const PENDING_TTL_MS = 24 * 60 * 60_000;

export interface ConnectionsServiceDeps {
  catalog: Catalog;
  connections: ConnectionsRepository;
  vault: Vault;
  /** The consent in the browser: settings completed, state, and the kind's consent step (the authorize URL). */
  browser: BrowserAuthorization;
  settings: ConnectionSettings;
  /** Dropped on every change, so the token path reads the change at once. */
  cache: CredentialCache;
  verifier: Verifier;
  /** API keys, Basic and client credentials: checked at the service, no browser. */
  direct: DirectAuthorization;
  events: ConnectionEvents;
  usage: ConnectionUsage;
  scenarioScopes?: ScenarioScopes;
  log: Logger;
}

/** The connection lifecycle people drive: create, list, show, rename, reauthorize, verify, delete. */
export class ConnectionsService {
  constructor(private readonly deps: ConnectionsServiceDeps) {}

  // --- reading -------------------------------------------------------------

  /** The row, if the caller's teams own it; 404 otherwise (whether it exists or not). */
  async find(caller: Caller, id: string): Promise<ConnectionRow> {
    const visible = !caller.connectionIds || caller.connectionIds.includes(id);
    const row = visible ? await this.deps.connections.byIdInTeams(id, caller.teamIds) : undefined;
    if (!row) throw new HitchError('not_found', { message: 'There is no such connection in your teams.' });
    return row;
  }

  /** The name and app of each connection the caller may see, for lists that name them (notifications). */
  async namesOf(caller: Caller, ids: string[]): Promise<Map<string, { name: string; app: string }>> {
    const out = new Map<string, { name: string; app: string }>();
    for (const id of ids) {
      const visible = !caller.connectionIds || caller.connectionIds.includes(id);
      const row = visible ? await this.deps.connections.byIdInTeams(id, caller.teamIds) : undefined;
      if (row) out.set(id, { name: row.name, app: row.app });
    }
    return out;
  }

  async present(rows: ConnectionRow[]): Promise<ConnectionView[]> {
    const usage = await this.deps.usage.usedBy(rows.map((r) => r.id));
    return rows.map((row) => presentConnection(row, this.deps.catalog.get(row.app), usage.get(row.id) ?? []));
  }

  async get(caller: Caller, id: string): Promise<ConnectionView> {
    const [view] = await this.present([await this.find(caller, id)]);
    return view!;
  }

  async list(
    caller: Caller,
    filter: { teamIds: string[]; app?: string; status?: ConnectionStatus; cursor?: string; limit?: number },
  ): Promise<{ items: ConnectionView[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), LIST_LIMIT_MAX);
    const rows = await this.deps.connections.list({
      teamIds: filter.teamIds,
      ...(caller.connectionIds ? { ids: caller.connectionIds } : {}),
      app: filter.app,
      status: filter.status,
      after: filter.cursor,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return { items: await this.present(page), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  // --- creating ------------------------------------------------------------

  async create(
    caller: Caller,
    input: CreateConnectionInput,
  ): Promise<{ connection: ConnectionView; authorizeUrl: string | null }> {
    const { catalog } = this.deps;
    const app = catalog.require(input.app);
    const kind = catalog.kind(app, input.auth);
    const name = input.name === undefined ? defaultConnectionName(app) : checkName(input.name);
    const requested = unionScopes(
      checkScopes(input.scopes),
      input.scenarioId === undefined
        ? []
        : await (this.deps.scenarioScopes ?? noScenarioScopes).scopesFor(caller, input.scenarioId, app.id),
    );
    const params = validateParameters(kind.parameters, input.parameters);
    if (kind.type === 'oauth2') checkExtraOAuthParameters(kind, params.values);

    if (this.deps.direct.handles(kind, params)) {
      const id = await this.deps.direct.create(caller, {
        teamId: input.teamId,
        app,
        kind,
        name,
        parameters: params,
        scopes: kind.type === 'oauth2' ? unionScopes(kind.baseScopes, requested) : [],
      });
      return { connection: await this.get(caller, id), authorizeUrl: null };
    }
    // Resolve before inserting anything, so a missing client or a bad URL saves nothing.
    const consenting = await this.deps.browser.settingsFor(this.deps.settings.forValues(app, kind, params));
    const scopes = unionScopes(consenting.settings.baseScopes, requested);

    const now = Date.now();
    const id = newId(now);
    const authorization = await this.deps.browser.prepare(
      { id, team_id: input.teamId },
      caller,
      consenting,
      scopes,
      'create',
      { values: {}, secrets: {} },
      false,
    );
    const data: ConnectionData = {
      parameters: params.values,
      learned: {},
      requestedScopes: scopes,
      secretsSet: secretsSetOf({ parameters: params.secrets }),
    };
    const secrets: ConnectionSecrets = {
      parameters: params.secrets,
      destinations: destinationsOf(kind, params.values),
    };
    await this.deps.connections.insert({
      id,
      team_id: input.teamId,
      app: app.id,
      auth: kind.type,
      name,
      status: 'pending',
      account_id: null,
      account_label: null,
      scopes: '[]',
      data: JSON.stringify(data),
      // Nothing secret yet means nothing to bind: the callback stores tokens with their destinations.
      secrets_enc: Object.keys(params.secrets).length ? this.deps.vault.encryptJson(secrets, secretContext(id)) : null,
      expires_at: null,
      next_refresh_at: null,
      refreshing_until: null,
      retry_at: null,
      renew_by: null,
      last_verified_at: null,
      last_error: null,
      created_by: caller.userId,
      created_at: now,
      updated_at: now,
    });
    await authorization.save();
    await this.deps.events.record(
      input.teamId,
      id,
      'connection.created',
      { userId: caller.userId },
      `Connection "${name}" to ${app.name} was created.`,
    );
    const connection = await this.get(caller, id);
    return { connection, authorizeUrl: authorization.authorizeUrl };
  }

  // --- changing ------------------------------------------------------------

  /**
   * Renames and edits parameters marked `editable`. A destination (a host, a base
   * URL) changes only with every secret the connection holds entered again, and is
   * checked at the service before it replaces anything; OAuth tokens were issued for
   * their destination, so there a new one means reauthorizing.
   */
  async update(caller: Caller, id: string, input: { name?: unknown; parameters?: unknown }): Promise<ConnectionView> {
    const row = await this.find(caller, id);
    requireChangeRight(caller, row);
    const now = Date.now();
    const changes: { name?: string; data?: string; updated_at: number } = { updated_at: now };
    if (input.name !== undefined) changes.name = checkName(input.name);
    if (input.parameters !== undefined) {
      const app = this.deps.catalog.require(row.app);
      const kind = this.deps.catalog.kind(app, row.auth);
      const data = parseData(row);
      const given = (input.parameters ?? {}) as Record<string, unknown>;
      const held = (await this.secretsOf(row)).parameters;
      const next = validateParameters(kind.parameters, input.parameters, {
        existing: { values: data.parameters, secrets: held },
        only: (def) => def.editable || def.secret,
      });
      const changed = changedDestinations(kind, data.parameters, next.values);
      const secretGiven = kind.parameters.find((def) => def.secret && Object.hasOwn(given, def.name));
      if (changed.length === 0 && secretGiven) {
        throw invalidField(
          `parameters.${secretGiven.name}`,
          `${secretGiven.label} cannot be changed here: reauthorize the connection to enter a new one.`,
        );
      }
      if (changed.length > 0) {
        if (!this.deps.direct.handles(kind, next)) {
          throw invalidField(
            `parameters.${changed[0]!.name}`,
            `Changing ${changed[0]!.label} means authorizing again at the new address: reauthorize the connection with the new value.`,
          );
        }
        requireSecretsForNewDestination(kind, changed, held, given);
        // Checked at the service with the new values; the old ones stay until it accepts them.
        const scopes =
          kind.type === 'oauth2' ? unionScopes(kind.baseScopes, parseScopes(row), data.requestedScopes) : [];
        await this.deps.direct.reauthorize(caller, row, app, kind, next, scopes);
        if (changes.name !== undefined) await this.deps.connections.update(id, { name: changes.name, updated_at: now });
        await this.recordEdit(caller, row, changes.name, true);
        return this.get(caller, id);
      }
      changes.data = JSON.stringify({ ...data, parameters: next.values });
    }
    await this.deps.connections.update(id, changes);
    this.deps.cache.drop(id);
    await this.recordEdit(caller, row, changes.name, changes.data !== undefined);
    return this.get(caller, id);
  }

  private async recordEdit(
    caller: Caller,
    row: ConnectionRow,
    name: string | undefined,
    settingsChanged: boolean,
  ): Promise<void> {
    if (name !== undefined && name !== row.name) {
      await this.deps.events.record(
        row.team_id,
        row.id,
        'connection.renamed',
        { userId: caller.userId },
        `Connection "${row.name}" was renamed to "${name}".`,
      );
    }
    if (settingsChanged)
      await this.deps.events.record(
        row.team_id,
        row.id,
        'connection.updated',
        { userId: caller.userId },
        `The settings of connection "${name ?? row.name}" were changed.`,
      );
  }

  private async secretsOf(row: ConnectionRow): Promise<ConnectionSecrets> {
    return row.secrets_enc
      ? this.deps.vault.decryptJson<ConnectionSecrets>(row.secrets_enc, secretContext(row.id))
      : { parameters: {} };
  }

  /**
   * Sends the same connection through authorization again. Scopes become the
   * union of what it had and what is asked now; parameters given here (a new
   * client, say) are kept in the flow and applied only if the service says yes.
   */
  async reauthorize(
    caller: Caller,
    id: string,
    input: ReauthorizeInput,
  ): Promise<{ authorizeUrl: string | null; connection?: ConnectionView }> {
    const row = await this.find(caller, id);
    requireChangeRight(caller, row);
    const requested = unionScopes(
      checkScopes(input.scopes),
      input.scenarioId === undefined
        ? []
        : await (this.deps.scenarioScopes ?? noScenarioScopes).scopesFor(caller, input.scenarioId, row.app, row.id),
    );
    if (input.allowAccountChange !== undefined && typeof input.allowAccountChange !== 'boolean')
      throw invalidField('allowAccountChange', 'allowAccountChange must be true or false.');
    const app = this.deps.catalog.require(row.app);
    const kind = this.deps.catalog.kind(app, row.auth);
    const data = parseData(row);
    // Validate the overlay against everything the connection already has, so required fields stay satisfied.
    const current = await this.secretsOf(row);
    const merged = validateParameters(kind.parameters, input.parameters, {
      existing: { values: data.parameters, secrets: current.parameters },
    });
    if (kind.type === 'oauth2') checkExtraOAuthParameters(kind, merged.values);
    requireSecretsForNewDestination(
      kind,
      changedDestinations(kind, data.parameters, merged.values),
      current.parameters,
      input.parameters ?? {},
    );
    if (this.deps.direct.handles(kind, merged)) {
      // Checked at the service now: the new values replace the old only when it accepts them.
      const scopes =
        kind.type === 'oauth2' ? unionScopes(kind.baseScopes, parseScopes(row), data.requestedScopes, requested) : [];
      await this.deps.direct.reauthorize(caller, row, app, kind, merged, scopes);
      return { authorizeUrl: null, connection: await this.get(caller, id) };
    }
    // Only what this request names is pending; the rest stays as stored (required fields included).
    const named = new Set(Object.keys(input.parameters ?? {}));
    const pending: SplitParameters = {
      values: Object.fromEntries(Object.entries(merged.values).filter(([k]) => named.has(k))),
      secrets: Object.fromEntries(Object.entries(merged.secrets).filter(([k]) => named.has(k))),
    };
    const consenting = await this.deps.browser.settingsFor(
      this.deps.settings.of(row, await this.secretsOf(row), pending),
    );
    const scopes = unionScopes(
      consenting.settings.baseScopes,
      parseScopes(row),
      row.status === 'pending' ? data.requestedScopes : [],
      requested,
    );
    const authorization = await this.deps.browser.prepare(
      row,
      caller,
      consenting,
      scopes,
      row.status === 'pending' ? 'create' : 'reauthorize',
      pending,
      input.allowAccountChange ?? false,
    );
    await authorization.save();
    return { authorizeUrl: authorization.authorizeUrl };
  }

  async verify(
    caller: Caller,
    id: string,
  ): Promise<{ verified: boolean; connection: ConnectionView; error?: { code: string; message: string } }> {
    const row = await this.find(caller, id);
    const outcome = await this.deps.verifier.verify(row, { userId: caller.userId });
    return { ...outcome, connection: await this.get(caller, id) };
  }

  async delete(caller: Caller, id: string, options: { confirmed: boolean }): Promise<void> {
    const row = await this.find(caller, id);
    requireChangeRight(caller, row);
    const usage = (await this.deps.usage.usedBy([id])).get(id) ?? [];
    if (usage.length > 0 && !options.confirmed) {
      throw new HitchError('connection_in_use', {
        message: `This connection is used by ${usage.length} scenario${usage.length === 1 ? '' : 's'}: confirm to delete it anyway, or replace it first.`,
        details: { scenarios: usage },
      });
    }
    await this.revokeAtService(row);
    await this.deps.connections.delete(id);
    this.deps.cache.drop(id);
    await this.deps.events.record(
      row.team_id,
      id,
      'connection.deleted',
      { userId: caller.userId },
      `Connection "${row.name}" was deleted.`,
    );
  }

  /** Best effort: a service that cannot be reached must not keep a person from deleting. */
  private async revokeAtService(row: ConnectionRow): Promise<void> {
    if (!row.secrets_enc || row.status === 'pending') return;
    try {
      const secrets = await this.secretsOf(row);
      // Revoking sends the refresh token: resolving checks first that it goes where it was issued for.
      const { kind, settings } = this.deps.settings.of(row, secrets);
      if (!kind.revoke) return;
      await kind.revoke(kind.prepare ? await kind.prepare(settings) : settings, secrets);
    } catch (error) {
      this.deps.log.warn(
        { connectionId: row.id, code: (error as { code?: string }).code },
        'revocation at the service failed; deleting anyway',
      );
    }
  }

  /** Unfinished flows (the person closed the window) are not kept for ever. */
  async removeStalePending(): Promise<number> {
    return this.deps.connections.deletePendingOlderThan(Date.now() - PENDING_TTL_MS);
  }
}
