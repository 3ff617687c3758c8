import type { Catalog } from '../catalog/catalog.ts';
import { platformClient } from '../catalog/catalog.ts';
import type { SplitParameters } from '../catalog/parameters.ts';
import { resolveExpiredWhen, type ExpiredWhen } from '../catalog/resolve-expired-when.ts';
import { resolveAppHeaders, withAppHeaders } from '../catalog/resolve.ts';
import type { AppDefinition, ConnectionKindDefinition } from '../catalog/schema.ts';
import type { ConnectionRow } from '../store/schema.ts';
import { assertSameDestinations } from './destinations.ts';
import type { Kinds } from './kinds/index.ts';
import type { ConnectionKind, KindSettings, PlatformClient } from './kinds/kind.ts';
import { parseData, type ConnectionSecrets } from './model.ts';

/** A connection's kind with its templates filled: what placing, renewing, verifying and revoking read. */
export interface ResolvedConnection {
  app: AppDefinition;
  definition: ConnectionKindDefinition;
  kind: ConnectionKind;
  settings: KindSettings;
  /** Which answers mean the credentials lapsed (default: a 401). */
  expiredWhen: ExpiredWhen;
  /** The app's static headers (API versions), sent on every request through the connection. */
  headers: Record<string, string>;
}

/**
 * Resolves connections' settings. The platform's OAuth clients are read from the
 * environment once, here, when the core is wired; nothing reads it per call.
 */
export class ConnectionSettings {
  private readonly platform: Map<string, PlatformClient>;

  constructor(
    private readonly catalog: Catalog,
    private readonly kinds: Kinds,
    env: NodeJS.ProcessEnv,
  ) {
    this.platform = new Map(catalog.list().map((app) => [app.id, platformClient(app.id, env)]));
  }

  /** The catalog's kind of a stored connection. */
  definitionOf(row: Pick<ConnectionRow, 'app' | 'auth'>): { app: AppDefinition; definition: ConnectionKindDefinition } {
    const app = this.catalog.require(row.app);
    return { app, definition: this.catalog.kind(app, row.auth) };
  }

  /** The kind for these values: `(type, flow)`, the flow filled from the values. */
  kindOf(
    definition: ConnectionKindDefinition,
    parameters: SplitParameters,
    learned: Record<string, string> = {},
  ): ConnectionKind {
    return this.kinds.of(definition, parameters.values, learned);
  }

  /** Settings for values not stored yet (creating, or checking new values before they replace the old). */
  forValues(
    app: AppDefinition,
    definition: ConnectionKindDefinition,
    parameters: SplitParameters,
    learned: Record<string, string> = {},
  ): ResolvedConnection {
    const kind = this.kinds.of(definition, parameters.values, learned);
    // The app's API version fills `{{apiVersion}}` in its kinds' templates like a parameter would.
    const values = app.apiVersion ? { ...parameters.values, apiVersion: app.apiVersion.value } : parameters.values;
    const resolved = kind.resolve(app, definition, {
      values,
      learned,
      secrets: parameters.secrets,
      platform: this.platform.get(app.id) ?? null,
    });
    const headers = resolveAppHeaders(app);
    const settings =
      resolved.verify && Object.keys(headers).length > 0
        ? { ...resolved, verify: { ...resolved.verify, headers: withAppHeaders(headers, resolved.verify.headers) } }
        : resolved;
    return {
      app,
      definition,
      kind,
      settings,
      headers,
      expiredWhen: resolveExpiredWhen(definition, parameters.values),
    };
  }

  /**
   * Settings of a stored connection, with pending changes laid over when given.
   * Without them these settings send the stored secrets, so only where they were
   * entered for: the destinations bound inside the secrets must still be the connection's.
   */
  of(
    row: Pick<ConnectionRow, 'app' | 'auth' | 'data'>,
    secrets: ConnectionSecrets,
    overlay?: SplitParameters,
  ): ResolvedConnection {
    const { app, definition } = this.definitionOf(row);
    const data = parseData(row);
    if (!overlay) assertSameDestinations(definition, data.parameters, secrets.destinations);
    const values = { ...data.parameters, ...(overlay?.values ?? {}) };
    const secretParams = { ...secrets.parameters, ...(overlay?.secrets ?? {}) };
    return this.forValues(app, definition, { values, secrets: secretParams }, data.learned);
  }
}
