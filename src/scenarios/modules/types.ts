import type { InputDefinition } from '../../catalog/schema.ts';
import type { ConnectionClient } from '../../connections/connection-client.ts';
import type { EndpointGrant, EndpointPattern } from '../../connections/grants.ts';
import type { HitchError } from '../../errors.ts';
import type { KeyType, UsableKey } from '../../keys/types.ts';
import type { Outbound, PlacedCredential } from '../../outbound/types.ts';
import type { Sleep } from './rate-limit.ts';

/**
 * What a module needs before it can run: nothing, a connection of an app, or a
 * key of a type. A module on a connection says which endpoints it calls, from
 * its request or (generic modules) its settings, so a scenario's grant is theirs.
 */
export type ModuleNeeds =
  | { kind: 'none' }
  | {
      kind: 'connection';
      app: string;
      /** Throws a `validation_failed` naming the input when a setting is not a grant. */
      endpoints(inputs: Record<string, unknown>): EndpointPattern[];
    }
  | { kind: 'key'; type: KeyType };

export interface ModuleRunContext {
  teamId: string;
  /** Mappings filled, defaults applied. */
  inputs: Record<string, unknown>;
  connectionId: string | undefined;
  /** What the scenario may call through `connectionId`: its modules' endpoints together. */
  grant: EndpointGrant | undefined;
  key: UsableKey | undefined;
  signal?: AbortSignal;
  connections: ConnectionClient;
  outbound: Outbound;
  /** How a module waits before retrying a call the service answered with "wait" (rate-limit.ts). */
  sleep: Sleep;
  /**
   * Told every credential a module's requests carry (a key placed, a connection's
   * token), so the execution record can be redacted of it in every encoding.
   */
  credentialsUsed(placed: readonly PlacedCredential[]): void;
}

/** An HTTP exchange as an execution keeps it: no headers, no body, no credentials in the URL. */
export interface CallRecord {
  method: string;
  url: string;
  status: number;
  ms: number;
}

export interface ModuleOutcome {
  output: unknown;
  request?: CallRecord;
  /** The call was answered with an error status: the module failed, and its output is kept. */
  error?: HitchError;
}

/** One operation a scenario can use: declared by a catalog app, or built in (HTTP, Encryptor). */
export interface ModuleSpec {
  app: string;
  id: string;
  name: string;
  /** From the catalog, for modules an app declares. */
  description?: string | undefined;
  docsUrl?: string | undefined;
  needs: ModuleNeeds;
  inputs: InputDefinition[];
  /** Scopes a connection needs granted for this module (least privilege comes from here). */
  scopes: string[];
  run(context: ModuleRunContext): Promise<ModuleOutcome>;
}
