import type { ParameterValue } from '../../catalog/parameters.ts';
import { resolveFlow } from '../../catalog/resolve.ts';
import type { ConnectionKindDefinition } from '../../catalog/schema.ts';
import type { Config } from '../../config.ts';
import type { Outbound } from '../../outbound/types.ts';
import { apiKeyKind } from './api-key.ts';
import { basicKind } from './basic.ts';
import { clientCredentialsKind } from './client-credentials.ts';
import type { ConnectionKind } from './kind.ts';
import { createOAuth2Protocol, oauth2Kind, type OAuth2Protocol } from './oauth2.ts';

/** Every kind of connection Hitch knows, and the OAuth 2.0 steps the browser flow uses. */
export interface Kinds {
  /** The kind for the catalog's `(type, flow)`, the flow filled from the connection's values. */
  of(
    definition: ConnectionKindDefinition,
    values: Record<string, ParameterValue>,
    learned?: Record<string, string>,
  ): ConnectionKind;
  /** The OAuth 2.0 steps bound to Hitch's outbound client: the browser flow (authorize URL, callback) uses them. */
  oauth2: OAuth2Protocol;
}

/** The one place kinds are registered: a new kind is a file beside these and a line here. */
export function createKinds(deps: { outbound: Outbound; network: Config['network'] }): Kinds {
  const oauth2 = createOAuth2Protocol(deps);
  const all: ConnectionKind[] = [
    oauth2Kind(oauth2),
    clientCredentialsKind(oauth2),
    apiKeyKind(deps.outbound),
    basicKind(deps.outbound),
  ];
  return {
    of(definition, values, learned) {
      const flow = resolveFlow(definition, values, learned);
      const kind = all.find((k) => k.type === definition.type && k.flow === flow);
      if (!kind)
        throw new TypeError(`No kind of connection is registered for (${definition.type}, ${flow ?? 'no flow'})`);
      return kind;
    },
    oauth2,
  };
}
