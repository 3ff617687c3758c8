import type { Store } from '../database.ts';
import { ApiTokensRepository } from './api-tokens.ts';
import { MembershipsRepository } from './memberships.ts';
import { OAuthFlowsRepository } from './oauth-flows.ts';
import { RateLimitsRepository } from './rate-limits.ts';
import { SessionsRepository } from './sessions.ts';
import { UsersRepository } from './users.ts';

/** The repositories of people and their access, built once per database handle. */
export interface AccountRepositories {
  users: UsersRepository;
  sessions: SessionsRepository;
  apiTokens: ApiTokensRepository;
  rateLimits: RateLimitsRepository;
  memberships: MembershipsRepository;
  oauthFlows: OAuthFlowsRepository;
}

// Keyed by the Kysely handle, which copies of a Store (tests spread theirs) share.
const built = new WeakMap<object, AccountRepositories>();

export function accountRepositories(store: Store): AccountRepositories {
  let repositories = built.get(store.db);
  if (!repositories) {
    repositories = {
      users: new UsersRepository(store.db, store.point),
      sessions: new SessionsRepository(store.db),
      apiTokens: new ApiTokensRepository(store.db, store.point),
      rateLimits: new RateLimitsRepository(store.db),
      memberships: new MembershipsRepository(store.db, store.dialect),
      oauthFlows: new OAuthFlowsRepository(store.db),
    };
    built.set(store.db, repositories);
  }
  return repositories;
}
