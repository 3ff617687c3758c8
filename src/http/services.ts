import { AccountsService } from '../accounts/service.ts';
import type { TokenRestriction } from '../accounts/token-restrictions.ts';
import type { TeamMembership, User } from '../accounts/types.ts';
import { Approvals } from '../agents/approvals.ts';
import { AgentService } from '../agents/service.ts';
import { ApprovalsRepository } from '../store/repositories/approvals.ts';
import { AuditTrail } from '../audit/trail.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { Config } from '../config.ts';
import type { Connections } from '../connections/index.ts';
import type { Logger } from '../log.ts';
import type { Scenarios } from '../scenarios/index.ts';
import type { Store } from '../store/database.ts';
import { EventsRepository } from '../store/repositories/events.ts';
import type { RouteRateLimit } from './plugins/rate-limit.ts';

/**
 * What every route plugin may use, shared through the `hitch` decorator:
 * `const { accounts, connections, config } = app.hitch`. Services only: routes
 * never see the store or the vault.
 */
export interface HttpServices {
  config: Config;
  log: Logger;
  catalog: Catalog;
  accounts: AccountsService;
  connections: Connections;
  /** The audit trail, read by `GET /api/v1/events`. */
  auditTrail: AuditTrail;
  /** Scenarios and the keychain; their routes answer 503 where they are not wired. */
  scenarios?: Scenarios;
  /** The MCP server's tools over connections; wired with scenarios, whose modules they are. */
  agents?: AgentService;
  /** Readiness: whether the database answers. */
  database: { ping(): Promise<boolean> };
}

/** The one place the store turns into the services the routes receive. */
export function createHttpServices(wiring: {
  config: Config;
  store: Store;
  log: Logger;
  catalog: Catalog;
  connections: Connections;
  scenarios?: Scenarios | undefined;
}): HttpServices {
  const { config, store, log, catalog, connections, scenarios } = wiring;
  const accounts = new AccountsService(store, {
    connectionTeam: async (teamIds, id) => (await connections.repository.byIdInTeams(id, teamIds))?.team_id,
    scenarioGrants: async (teamIds, id) => scenarios?.service.endpointGrants(teamIds, id),
  });
  return {
    config,
    log,
    catalog,
    accounts,
    connections,
    auditTrail: new AuditTrail(new EventsRepository(store.db)),
    ...(scenarios
      ? {
          scenarios,
          agents: new AgentService({
            connections: connections.service,
            client: connections.client,
            outbound: scenarios.outbound,
            registry: scenarios.links.registry,
            events: connections.events,
            executions: scenarios.links.repository,
            approvals: new Approvals({ repository: new ApprovalsRepository(store.db), events: connections.events }),
            tokens: { byId: (id) => accounts.apiTokenById(id), teamsOf: (userId) => accounts.teamsOf(userId) },
          }),
        }
      : {}),
    database: { ping: () => store.ping() },
  };
}

/**
 * Who made the request. `via` says how, which decides whether the Origin check
 * applies; a token's `restriction` (null: the user's full rights) limits it to
 * the routes that accept restricted tokens.
 */
export type RequestAuth =
  | { user: User; via: 'session'; sessionId: string }
  | {
      user: User;
      via: 'token';
      tokenId: string;
      tokenName: string;
      restriction: TokenRestriction | null;
      /** The user's teams as authentication found them (from the invalidated principal cache). */
      teams: TeamMembership[];
    };

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
    /**
     * Set on the few routes that hold a restricted API token to its restriction
     * themselves (the proxy, reading its connections); every other route refuses
     * such a token, so a new route is closed to it by default.
     */
    acceptsRestrictedTokens?: true;
    /** A counter the request counts against before its handler runs (./plugins/rate-limit.ts). */
    rateLimit?: RouteRateLimit;
  }
}
