import type { FastifyRequest } from 'fastify';
import type { TeamMembership, TeamRole } from '../accounts/types.ts';
import { callerThrough } from '../accounts/token-restrictions.ts';
import { HitchError } from '../errors.ts';
import { isId } from '../ids.ts';
import type { Caller } from '../connections/change-rights.ts';
import type { RequestAuth } from './services.ts';

/** The caller: always there on routes with `auth: 'required'` (the default); elsewhere 401 when unknown. */
export function authOf(request: FastifyRequest): RequestAuth {
  if (!request.auth) throw new HitchError('unauthenticated');
  return request.auth;
}

const notAMember = () => new HitchError('not_found', { message: 'There is no team with this id among yours.' });

// Per request, so a route option (a rate limit per team) and the handler share one lookup.
const resolvedTeams = new WeakMap<FastifyRequest, Map<string | undefined, Promise<TeamMembership>>>();
const callers = new WeakMap<FastifyRequest, Promise<Caller>>();

/**
 * The team a request acts on, as the caller sees it. `teamId` given: the caller
 * must be a member, else 404 — another team's existence is not revealed.
 * Omitted: the caller's oldest membership.
 */
export function resolveTeam(request: FastifyRequest, teamId?: string): Promise<TeamMembership> {
  let teams = resolvedTeams.get(request);
  if (!teams) resolvedTeams.set(request, (teams = new Map<string | undefined, Promise<TeamMembership>>()));
  let team = teams.get(teamId);
  if (!team) {
    team = lookUpTeam(request, teamId);
    teams.set(teamId, team);
  }
  return team;
}

async function lookUpTeam(request: FastifyRequest, teamId: string | undefined): Promise<TeamMembership> {
  const { user } = authOf(request);
  const { accounts } = request.server.hitch;
  if (teamId === undefined) {
    const [first] = await accounts.teamsOf(user.id);
    if (!first)
      throw new HitchError('not_found', {
        message: 'You are not a member of any team: ask an administrator to add you to one.',
      });
    return first;
  }
  const team = isId(teamId) ? await accounts.membershipOf(user.id, teamId) : undefined;
  if (!team) throw notAMember();
  return team;
}

/** Throws 403 unless the caller's role in `team` is one of `roles`. */
export function requireTeamRole(team: TeamMembership, ...roles: TeamRole[]): void {
  if (!roles.includes(team.role)) {
    throw new HitchError('forbidden', {
      message: `This needs the ${roles.join(' or ')} role in the team ${JSON.stringify(team.name)}.`,
    });
  }
}

/** Who acts, the teams they may reach, and those where they manage everything (owner or admin). */
export function callerOf(request: FastifyRequest): Promise<Caller> {
  let caller = callers.get(request);
  if (!caller) {
    caller = lookUpCaller(request);
    callers.set(request, caller);
  }
  return caller;
}

/** A restricted token's caller sees only its team and its connections, and manages nothing (callerThrough). */
async function lookUpCaller(request: FastifyRequest): Promise<Caller> {
  const auth = authOf(request);
  const teams = auth.via === 'token' ? auth.teams : await request.server.hitch.accounts.teamsOf(auth.user.id);
  return callerThrough(auth.user.id, teams, auth.via === 'token' ? auth.restriction : null);
}
