import type { Store } from '../store/database.ts';
import { createApiToken, listApiTokens, resolveApiToken, revokeApiToken } from './api-tokens.ts';
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
  constructor(private readonly store: Store) {}

  // --- who is calling ------------------------------------------------------

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

  createApiToken(userId: string, name: string) {
    return createApiToken(this.store, userId, name);
  }

  listApiTokens(userId: string, page: PageRequest) {
    return listApiTokens(this.store, userId, page);
  }

  revokeApiToken(userId: string, id: string) {
    return revokeApiToken(this.store, userId, id);
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

  addMember(actorRole: TeamRole, teamId: string, input: { email: string; role: TeamRole }) {
    return addMember(this.store, actorRole, teamId, input);
  }

  changeMemberRole(actorRole: TeamRole, teamId: string, userId: string, role: TeamRole) {
    return changeMemberRole(this.store, actorRole, teamId, userId, role);
  }

  removeMember(actor: { userId: string; role: TeamRole }, teamId: string, userId: string) {
    return removeMember(this.store, actor, teamId, userId);
  }

  // --- limits ----------------------------------------------------------------

  /** Counts one attempt against `key`, in the database every instance shares. */
  hitRateLimit(key: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitResult> {
    return hitRateLimit(this.store, key, rule, now);
  }
}
