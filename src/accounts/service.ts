import type { Store } from '../store/database.ts';
import type { Caller } from '../connections/change-rights.ts';
import { invalidField } from '../errors.ts';
import {
  API_TOKEN_PREFIX,
  apiTokenById,
  createApiToken,
  listApiTokens,
  resolveApiToken,
  revokeApiToken,
} from './api-tokens.ts';
import { PrincipalCache, type TokenPrincipal } from './principal-cache.ts';
import { sha256 } from './secret-hash.ts';
import {
  resolveTokenRestriction,
  restricts,
  type TokenGrantLookups,
  type TokenRestrictionInput,
} from './token-restrictions.ts';
import { hitRateLimit, type RateLimitRule, type RateLimitResult } from './rate-limit.ts';
import { deleteSessionByToken, resolveSession } from './sessions.ts';
import { signIn, type SignInInput } from './sign-in.ts';
import { addMember, changeMemberRole, listMembers, membershipOf, removeMember, teamsOf } from './teams.ts';
import type { PageRequest, TeamRole } from './types.ts';
import {
  changePassword,
  createUser,
  getUser,
  getUserWithTeams,
  type NewUserInput,
  type PasswordChange,
} from './users.ts';

/**
 * People and their access, as the HTTP routes use them: users, sessions, API
 * tokens, teams and their members, and the shared rate-limit counters. The
 * rules live in the functions of this folder; this is the one object routes
 * receive instead of the store.
 */
export class AccountsService {
  private readonly principals = new PrincipalCache();

  constructor(
    private readonly store: Store,
    /** What a scoped token's connections and scenario are, where those services are wired. */
    private readonly grants?: TokenGrantLookups,
  ) {
    store.invalidations.subscribe((message) => this.principals.invalidate(message));
  }

  // --- who is calling ------------------------------------------------------

  /** The principal of a token seen in the last 30 seconds, without waiting; undefined when it must be read (`principalOf`). */
  cachedPrincipalOf(token: string, now = Date.now()): TokenPrincipal | undefined {
    // While invalidations may be missed (PostgreSQL's listening connection is down), nothing is cached.
    if (!token.startsWith(API_TOKEN_PREFIX) || !this.store.invalidations.trusted()) return undefined;
    return this.principals.get(sha256(token), now);
  }

  /**
   * Who a bearer token speaks for, with their teams: from memory when seen in
   * the last 30 seconds and nothing since revoked the token or changed the
   * user's memberships (principal-cache.ts), else from the database. Null for
   * an unknown, revoked or expired token.
   */
  async principalOf(token: string, now = Date.now()): Promise<TokenPrincipal | null> {
    const cached = this.cachedPrincipalOf(token, now);
    if (cached) return cached;
    if (!token.startsWith(API_TOKEN_PREFIX)) return null;
    const trusted = this.store.invalidations.trusted();
    const mark = this.principals.mark();
    const found = await resolveApiToken(this.store, token, now);
    const user = found && (await getUser(this.store, found.userId));
    if (!found || !user) return null;
    const principal: TokenPrincipal = { token: found, user, teams: await teamsOf(this.store, found.userId) };
    if (trusted) this.principals.set(sha256(token), principal, now, mark);
    return principal;
  }

  getUser(id: string) {
    return getUser(this.store, id);
  }

  resolveApiToken(token: string) {
    return resolveApiToken(this.store, token);
  }

  resolveSession(token: string) {
    return resolveSession(this.store, token);
  }

  // --- signing in and out ----------------------------------------------------

  signIn(input: SignInInput) {
    return signIn(this.store, input);
  }

  /** Ends the session a cookie's token stands for. */
  signOut(sessionToken: string) {
    return deleteSessionByToken(this.store, sessionToken);
  }

  // --- the signed-in user ------------------------------------------------------

  me(userId: string) {
    return getUserWithTeams(this.store, userId);
  }

  changePassword(change: PasswordChange) {
    return changePassword(this.store, change);
  }

  createUser(input: NewUserInput) {
    return createUser(this.store, input);
  }

  /**
   * A token with the caller's full rights, or restricted to what the caller may
   * grant (their team, their teams' connections and scenarios), with an expiry.
   */
  async createApiToken(caller: Caller, input: { name: string; expiresAt?: number } & TokenRestrictionInput) {
    const { name, expiresAt, ...asked } = input;
    if (expiresAt !== undefined && expiresAt <= Date.now())
      throw invalidField('expiresAt', 'expiresAt must be in the future (milliseconds since 1970, like createdAt).');
    const restriction = restricts(asked) ? await resolveTokenRestriction(caller, asked, this.grants) : null;
    return createApiToken(this.store, caller.userId, name, { restriction, expiresAt: expiresAt ?? null });
  }

  /** A token as it stands now (null once revoked or expired), for a call that runs later on its behalf. */
  apiTokenById(id: string) {
    return apiTokenById(this.store, id);
  }

  listApiTokens(userId: string, page: PageRequest) {
    return listApiTokens(this.store, userId, page);
  }

  async revokeApiToken(userId: string, id: string) {
    const revoked = await revokeApiToken(this.store, userId, id);
    if (revoked) await this.store.invalidations.publish({ kind: 'token', tokenId: id });
    return revoked;
  }

  // --- teams -----------------------------------------------------------------

  teamsOf(userId: string) {
    return teamsOf(this.store, userId);
  }

  membershipOf(userId: string, teamId: string) {
    return membershipOf(this.store, userId, teamId);
  }

  listMembers(teamId: string, page: PageRequest) {
    return listMembers(this.store, teamId, page);
  }

  // Membership changes tell every instance to forget the user's cached teams.

  async addMember(actorRole: TeamRole, teamId: string, input: { email: string; role: TeamRole }) {
    const member = await addMember(this.store, actorRole, teamId, input);
    await this.store.invalidations.publish({ kind: 'user', userId: member.userId });
    return member;
  }

  async changeMemberRole(actorRole: TeamRole, teamId: string, userId: string, role: TeamRole) {
    const member = await changeMemberRole(this.store, actorRole, teamId, userId, role);
    await this.store.invalidations.publish({ kind: 'user', userId });
    return member;
  }

  async removeMember(actor: { userId: string; role: TeamRole }, teamId: string, userId: string) {
    await removeMember(this.store, actor, teamId, userId);
    await this.store.invalidations.publish({ kind: 'user', userId });
  }

  // --- limits ----------------------------------------------------------------

  /** Counts one attempt against `key`, in the database every instance shares. */
  hitRateLimit(key: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitResult> {
    return hitRateLimit(this.store, key, rule, now);
  }
}
