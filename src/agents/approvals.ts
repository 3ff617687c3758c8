import { newId } from '../ids.ts';
import type { ConnectionEvents } from '../connections/events.ts';
import type { Caller } from '../connections/change-rights.ts';
import { HitchError } from '../errors.ts';
import type { ApprovalsRepository } from '../store/repositories/approvals.ts';
import type { ApprovalRow } from '../store/schema.ts';

/** How long a write waits for a person before it can no longer be approved. */
export const APPROVAL_TTL_MS = 24 * 60 * 60 * 1000;

/** An approval as people and agents read it: `expired` once a pending one passed its time. */
export interface ApprovalView {
  id: string;
  teamId: string;
  connectionId: string;
  tokenName: string;
  tool: string;
  method: string;
  path: string;
  arguments: Record<string, unknown>;
  status: 'pending' | 'approved' | 'denied' | 'expired';
  createdAt: string;
  expiresAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  /** Once an approved call ran: its tool result (redacted), and the execution that records it. */
  result: { isError: boolean; content: unknown } | null;
  executionId: string | null;
}

export function presentApproval(row: ApprovalRow, now = Date.now()): ApprovalView {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: row.id,
    teamId: row.team_id,
    connectionId: row.connection_id,
    tokenName: row.token_name,
    tool: row.tool,
    method: row.method,
    path: row.path,
    arguments: JSON.parse(row.arguments) as Record<string, unknown>,
    status: row.status === 'pending' && row.expires_at <= now ? 'expired' : row.status,
    createdAt: iso(row.created_at)!,
    expiresAt: iso(row.expires_at)!,
    decidedBy: row.decided_by,
    decidedAt: iso(row.decided_at),
    result: row.outcome === null ? null : (JSON.parse(row.outcome) as ApprovalView['result']),
    executionId: row.execution_id,
  };
}

/** What an agent asks a person for: one call of one tool on one connection, by one token. */
export interface ApprovalRequest {
  teamId: string;
  connectionId: string;
  connectionName: string;
  tokenId: string;
  tokenName: string;
  userId: string;
  tool: string;
  method: string;
  path: string;
  arguments: Record<string, unknown>;
}

/**
 * Writes that wait for a person. An agent's token created with
 * `approval: "writes"` turns each call but GET and HEAD into a pending approval
 * (and a `connection.approval_requested` event, which team webhooks and the
 * notifications carry); a team owner or admin approves or denies it; an approved
 * call runs once, and the agent reads the outcome with the `get_approval` tool.
 */
export class Approvals {
  constructor(private readonly deps: { repository: ApprovalsRepository; events: ConnectionEvents; ttlMs?: number }) {}

  async request(asked: ApprovalRequest, now = Date.now()): Promise<ApprovalView> {
    const row: ApprovalRow = {
      id: newId(now),
      team_id: asked.teamId,
      connection_id: asked.connectionId,
      token_id: asked.tokenId,
      token_name: asked.tokenName,
      tool: asked.tool,
      method: asked.method,
      path: asked.path,
      arguments: JSON.stringify(asked.arguments),
      status: 'pending',
      created_at: now,
      expires_at: now + (this.deps.ttlMs ?? APPROVAL_TTL_MS),
      decided_by: null,
      decided_at: null,
      outcome: null,
      execution_id: null,
    };
    await this.deps.repository.insert(row);
    await this.deps.events.record(
      asked.teamId,
      asked.connectionId,
      'connection.approval_requested',
      { userId: asked.userId },
      `An agent with API token "${asked.tokenName}" asks to call ${asked.method} ${asked.path} (tool ${asked.tool}) through connection "${asked.connectionName}": a team owner or admin approves or denies it.`,
    );
    return presentApproval(row, now);
  }

  /** The approval as its own token may read it; another token's is not found. */
  async ofToken(tokenId: string, id: string): Promise<ApprovalView> {
    const row = await this.deps.repository.byIdOfToken(id, tokenId);
    if (!row) throw notFound();
    return presentApproval(row);
  }

  async get(caller: Caller, id: string): Promise<ApprovalView> {
    const row = await this.deps.repository.byIdInTeams(id, caller.teamIds);
    if (!row) throw notFound();
    return presentApproval(row);
  }

  async list(
    caller: Caller,
    filter: { teamIds: string[]; status?: 'pending'; cursor?: string; limit: number },
  ): Promise<ApprovalView[]> {
    const teamIds = filter.teamIds.filter((t) => caller.teamIds.includes(t));
    const now = Date.now();
    const rows = await this.deps.repository.list(teamIds, {
      now,
      limit: filter.limit,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.cursor ? { before: filter.cursor } : {}),
    });
    return rows.map((row) => presentApproval(row, now));
  }

  /**
   * Records a team admin's decision. Returns the row when this decision approved
   * it (the caller then runs the call, once); throws when the approval is not the
   * caller's to decide, was decided already, or expired.
   */
  async decide(caller: Caller, id: string, decision: 'approve' | 'deny'): Promise<ApprovalRow | undefined> {
    const row = await this.deps.repository.byIdInTeams(id, caller.teamIds);
    if (!row) throw notFound();
    if (!(caller.managedTeamIds ?? []).includes(row.team_id))
      throw new HitchError('forbidden', {
        message: 'Only an owner or admin of the team can approve or deny an agent’s call.',
      });
    const now = Date.now();
    const status = decision === 'approve' ? 'approved' : 'denied';
    if (!(await this.deps.repository.decide(id, { status, by: caller.userId, at: now }))) {
      const current = presentApproval((await this.deps.repository.byIdInTeams(id, caller.teamIds)) ?? row, now);
      throw new HitchError('approval_closed', {
        message:
          current.status === 'expired'
            ? 'This approval expired before anyone decided: the agent must ask again.'
            : `This approval was already ${current.status}; nothing was changed.`,
      });
    }
    await this.deps.events.record(
      row.team_id,
      row.connection_id,
      'connection.approval_decided',
      { userId: caller.userId },
      `The call ${row.method} ${row.path} that API token "${row.token_name}" asked for was ${status}.`,
    );
    return status === 'approved' ? { ...row, status, decided_by: caller.userId, decided_at: now } : undefined;
  }

  async recordOutcome(id: string, result: { isError: boolean; content: unknown }, executionId: string | null) {
    await this.deps.repository.recordOutcome(id, { outcome: JSON.stringify(result), executionId });
  }

  /** Pending approvals in the teams the caller decides for, as the web app's banner lists what needs a person. */
  async pendingFor(caller: Caller): Promise<ApprovalView[]> {
    return this.list(caller, { teamIds: caller.managedTeamIds ?? [], status: 'pending', limit: 100 });
  }
}

function notFound(): HitchError {
  return new HitchError('not_found', { message: 'There is no approval with this id.' });
}
