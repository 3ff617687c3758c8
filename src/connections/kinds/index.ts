import type { ParameterValue } from '../../catalog/parameters.ts';
import { resolveFlow } from '../../catalog/resolve.ts';
import type { ConnectionKindDefinition } from '../../catalog/schema.ts';
import { platformAppOf } from '../../platform-apps.ts';
import { apiKeyKind } from './api-key.ts';
import { appInstallationKind } from './app-installation.ts';
import { basicKind } from './basic.ts';
import { clientCredentialsKind } from './client-credentials.ts';
import type { ConnectionKind, KindDeps } from './kind.ts';
import { oauth1Kind } from './oauth1.ts';
import { jwtBearerKind } from './jwt-bearer.ts';
import { createOAuth2Protocol, oauth2Kind } from './oauth2.ts';
import { sessionKind } from './session.ts';

/** Every kind of connection Hitch knows. */
export interface Kinds {
  /** The kind for the catalog's `(type, flow)`, the flow filled from the connection's values. */
  of(
    definition: ConnectionKindDefinition,
    values: Record<string, ParameterValue>,
    learned?: Record<string, string>,
  ): ConnectionKind;
}

/** Makes one kind from Hitch's parts, as the built-in kinds are made. */
export type KindFactory = (deps: KindDeps) => ConnectionKind;

/**
 * The one place kinds are registered: a new kind is a file beside these and a line here.
 * `extra` kinds (tests) are made from the same parts and are chosen before the built-in ones.
 */
export function createKinds(deps: KindDeps, extra: readonly KindFactory[] = []): Kinds {
  const oauth2 = createOAuth2Protocol(deps);
  const all: ConnectionKind[] = [
    ...extra.map((make) => make(deps)),
    oauth2Kind(oauth2),
    clientCredentialsKind(oauth2),
    apiKeyKind(deps.outbound),
    basicKind(deps.outbound),
    oauth1Kind(deps),
    sessionKind(deps.outbound),
    jwtBearerKind(deps),
    appInstallationKind({ ...deps, apps: (appId) => platformAppOf(deps.platformApps, appId) }),
  ];
  return {
    of(definition, values, learned) {
      const flow = resolveFlow(definition, values, learned);
      const kind = all.find((k) => k.type === definition.type && k.flow === flow);
      if (!kind)
        throw new TypeError(`No kind of connection is registered for (${definition.type}, ${flow ?? 'no flow'})`);
      return kind;
    },
  };
}
