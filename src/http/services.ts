import type { Config } from '../config.ts';
import type { Jobs } from '../jobs/types.ts';
import type { Logger } from '../log.ts';
import type { Outbound } from '../outbound/types.ts';
import type { Store } from '../store/database.ts';
import type { Vault } from '../vault/types.ts';
import type { User } from '../accounts/types.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { Connections } from '../connections/index.ts';
import type { Scenarios } from '../scenarios/index.ts';

/**
 * What every route plugin may use, shared through the `hitch` decorator:
 * `const { store, vault, outbound, jobs, config, log } = app.hitch`.
 */
export interface HttpServices {
  config: Config;
  store: Store;
  vault: Vault;
  outbound: Outbound;
  jobs: Jobs;
  log: Logger;
  catalog: Catalog;
  connections: Connections;
  /** Scenarios and the keychain; their routes answer 503 where they are not wired. */
  scenarios?: Scenarios;
}

/** Who made the request. `via` says how, which decides whether the Origin check applies. */
export type RequestAuth =
  | { user: User; via: 'session'; sessionId: string }
  | { user: User; via: 'token'; tokenId: string };

/**
 * What a route asks of the caller, in its `config.auth` (default `'required'`):
 * - `'required'`: a session cookie or a Bearer token, else 401;
 * - `'optional'`: `request.auth` is set when the caller is known, null otherwise;
 * - `'none'`: no lookup at all (health checks, static files).
 */
export type AuthRequirement = 'required' | 'optional' | 'none';

declare module 'fastify' {
  interface FastifyInstance {
    hitch: HttpServices;
  }
  interface FastifyRequest {
    /** Set by the authentication plugin; never null on routes with `auth: 'required'`. */
    auth: RequestAuth | null;
  }
  interface FastifyContextConfig {
    auth?: AuthRequirement;
  }
}
