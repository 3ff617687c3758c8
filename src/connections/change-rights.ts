import { HitchError } from '../errors.ts';
import type { ConnectionRow } from '../store/schema.ts';

/** Who acts, and the teams they may reach. Every read and write is scoped by these. */
export interface Caller {
  userId: string;
  teamIds: string[];
  /** Teams where the caller is an owner or admin: they may change any connection there. */
  managedTeamIds?: string[];
  /** A restricted API token's connections: the only ones the caller may see. Absent: all of `teamIds`'. */
  connectionIds?: readonly string[];
}

/**
 * Who may change a connection (edit, reauthorize, delete): its creator and the
 * team's owners and admins. Any member may see it, verify it and use it in scenarios.
 */
export function mayChange(caller: Caller, row: Pick<ConnectionRow, 'team_id' | 'created_by'>): boolean {
  return (
    (row.created_by !== null && row.created_by === caller.userId) || (caller.managedTeamIds ?? []).includes(row.team_id)
  );
}

/** 403 with a sentence unless the caller may change the connection. */
export function requireChangeRight(caller: Caller, row: Pick<ConnectionRow, 'team_id' | 'created_by'>): void {
  if (mayChange(caller, row)) return;
  throw new HitchError('forbidden', {
    message: row.created_by
      ? 'Only the person who created this connection, or an owner or admin of its team, can change it; you can still use and verify it.'
      : 'Only an owner or admin of the team can change this connection; you can still use and verify it.',
  });
}
