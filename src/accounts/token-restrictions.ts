import type { Caller } from '../connections/change-rights.ts';
import {
  ANY_ENDPOINT,
  methodProblem,
  pathProblem,
  readOnlyPatterns,
  type EndpointGrant,
  type EndpointPattern,
} from '../connections/grants.ts';
import { HitchError, invalidField } from '../errors.ts';

/**
 * What a scoped API token may do: call, through the proxy (and later the MCP
 * server), the endpoints granted on its connections, and read those
 * connections — nothing else in Hitch's API. Stored with the token as JSON;
 * null stands for the user's full rights, which tokens made before scoping keep.
 */
export interface TokenRestriction {
  /** The one team whose connections the token may use; null: any of the user's teams. */
  teamId: string | null;
  /** Each usable connection with its endpoint patterns; null: every connection of the team(s), whole. */
  connections: Record<string, EndpointPattern[]> | null;
  /** Calls through connections limited to GET and HEAD. */
  readOnly: boolean;
  /** The scenario whose grants were copied at creation (a later edit of it does not widen the token). */
  scenarioId: string | null;
  /**
   * `writes`: each call but GET and HEAD waits for a team admin's decision
   * (src/agents/approvals.ts); only the MCP server asks, so the proxy refuses them.
   */
  approval: 'writes' | null;
}

/** A restriction as asked for in `POST /tokens`. */
export interface TokenRestrictionInput {
  teamId?: string;
  connections?: string[];
  grants?: Array<{ connectionId: string; method: string; path: string }>;
  scenarioId?: string;
  readOnly?: boolean;
  approval?: 'writes';
}

/** What creating a restriction needs to know about the things it names, as the creator may see them. */
export interface TokenGrantLookups {
  /** The connection's team, when it is in one of `teamIds`. */
  connectionTeam(teamIds: string[], connectionId: string): Promise<string | undefined>;
  /** The scenario's team and its endpoint grant per connection, when it is in one of `teamIds`. */
  scenarioGrants(
    teamIds: string[],
    scenarioId: string,
  ): Promise<{ teamId: string; connections: Map<string, EndpointPattern[]> } | undefined>;
}

/** Whether the input asks for any restriction at all (an expiry alone keeps the user's rights). */
export function restricts(input: TokenRestrictionInput): boolean {
  return (
    input.teamId !== undefined ||
    input.connections !== undefined ||
    input.grants !== undefined ||
    input.scenarioId !== undefined ||
    input.readOnly === true ||
    input.approval === 'writes'
  );
}

/**
 * The restriction a creator may give: only the team they are in, only
 * connections and scenarios of their teams (of `teamId`, when given), and
 * patterns that parse. Grants of a scenario are copied now.
 */
export async function resolveTokenRestriction(
  caller: Caller,
  input: TokenRestrictionInput,
  lookups: TokenGrantLookups | undefined,
): Promise<TokenRestriction> {
  const teamIds = input.teamId === undefined ? caller.teamIds : caller.teamIds.filter((t) => t === input.teamId);
  if (input.teamId !== undefined && teamIds.length === 0)
    throw invalidField('teamId', 'You are not a member of this team, so a token cannot be limited to it.');
  const needsLookups = input.connections ?? input.grants ?? input.scenarioId;
  if (needsLookups !== undefined && !lookups)
    throw new HitchError('unavailable', { message: 'Connections are not available on this server yet.' });

  let connections: Map<string, EndpointPattern[]> | null = null;
  const grant = (id: string, patterns: EndpointPattern[]) => {
    connections ??= new Map();
    connections.set(id, [...(connections.get(id) ?? []), ...patterns]);
  };
  const ownConnection = async (id: string, field: string) => {
    if (!(await lookups!.connectionTeam(teamIds, id)))
      throw invalidField(field, `There is no connection ${id} in ${input.teamId ? 'this team' : 'your teams'}.`);
  };

  for (const [index, id] of (input.connections ?? []).entries()) {
    await ownConnection(id, `connections.${index}`);
    grant(id, [ANY_ENDPOINT]);
  }
  for (const [index, g] of (input.grants ?? []).entries()) {
    const method = g.method.toUpperCase();
    const badMethod = methodProblem(method);
    if (badMethod) throw invalidField(`grants.${index}.method`, `Grant ${index + 1}: ${badMethod}.`);
    const badPath = pathProblem(g.path);
    if (badPath) throw invalidField(`grants.${index}.path`, `Grant ${index + 1}: the path ${badPath}.`);
    await ownConnection(g.connectionId, `grants.${index}.connectionId`);
    // Listed in `connections` too, the connection keeps the whole-connection grant it was given there.
    grant(g.connectionId, [{ method, path: g.path }]);
  }
  if (input.scenarioId !== undefined) {
    const scenario = await lookups!.scenarioGrants(teamIds, input.scenarioId);
    if (!scenario)
      throw invalidField(
        'scenarioId',
        `There is no scenario ${input.scenarioId} in ${input.teamId ? 'this team' : 'your teams'}.`,
      );
    for (const [id, patterns] of scenario.connections) grant(id, patterns);
    if (scenario.connections.size === 0) connections ??= new Map();
  }

  return {
    teamId: input.teamId ?? null,
    connections: connections === null ? null : Object.fromEntries(connections),
    readOnly: input.readOnly === true,
    scenarioId: input.scenarioId ?? null,
    approval: input.approval ?? null,
  };
}

/**
 * The patterns a restricted token may call on a connection of `teamId`, or
 * undefined when the token may not use that connection at all.
 */
export function tokenPatternsOn(
  restriction: TokenRestriction,
  connectionId: string,
  teamId: string,
): EndpointPattern[] | undefined {
  if (restriction.teamId !== null && restriction.teamId !== teamId) return undefined;
  const patterns = restriction.connections === null ? [ANY_ENDPOINT] : restriction.connections[connectionId];
  if (!patterns) return undefined;
  return restriction.readOnly ? readOnlyPatterns(patterns) : patterns;
}

/** The grant a token's calls meet on one connection (the proxy's and the MCP server's). */
export function tokenGrant(patterns: EndpointPattern[], token: { name: string; userId: string }): EndpointGrant {
  return {
    patterns,
    holder: `API token "${token.name}"`,
    remedy: 'create a token whose grants include this endpoint, or call one it was granted',
    actor: { userId: token.userId },
  };
}

/** Restrictions stored before approvals existed read as without them. */
export function parseRestriction(json: string | null): TokenRestriction | null {
  if (json === null) return null;
  const stored = JSON.parse(json) as Omit<TokenRestriction, 'approval'> & { approval?: 'writes' | null };
  return { ...stored, approval: stored.approval ?? null };
}

/** Whether a call by this method waits for a person under the token's restriction. */
export function needsApproval(restriction: TokenRestriction | null, method: string): boolean {
  return restriction?.approval === 'writes' && !['GET', 'HEAD'].includes(method.toUpperCase());
}

/**
 * Who a user acting through a token is: with a restriction, only its team and
 * its connections, managing nothing; without one, the user's full rights.
 */
export function callerThrough(
  userId: string,
  teams: ReadonlyArray<{ id: string; role: string }>,
  restriction: TokenRestriction | null,
): Caller {
  if (restriction)
    return {
      userId,
      teamIds: teams.map((t) => t.id).filter((id) => restriction.teamId === null || id === restriction.teamId),
      managedTeamIds: [],
      ...(restriction.connections ? { connectionIds: Object.keys(restriction.connections) } : {}),
    };
  return {
    userId,
    teamIds: teams.map((t) => t.id),
    managedTeamIds: teams.filter((t) => t.role === 'owner' || t.role === 'admin').map((t) => t.id),
  };
}
