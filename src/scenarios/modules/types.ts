import type { InputDefinition } from '../../catalog/schema.ts';
import type { ConnectionClient } from '../../connections/connection-client.ts';
import type { HitchError } from '../../errors.ts';
import type { KeyType, UsableKey } from '../../keys/types.ts';
import type { Outbound, PlacedCredential } from '../../outbound/types.ts';

/** What a module needs before it can run: nothing, a connection of an app, or a key of a type. */
export type ModuleNeeds = { kind: 'none' } | { kind: 'connection'; app: string } | { kind: 'key'; type: KeyType };

export interface ModuleRunContext {
  teamId: string;
  /** Mappings filled, defaults applied. */
  inputs: Record<string, unknown>;
  connectionId: string | undefined;
  key: UsableKey | undefined;
  signal?: AbortSignal;
  connections: ConnectionClient;
  outbound: Outbound;
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
