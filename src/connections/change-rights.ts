import { HitchError } from '../errors.ts';

/** Who acts, and the teams they may reach. Every read and write is scoped by these. */
export interface Caller {
  userId: string;
  teamIds: string[];
  /** Teams where the caller is an owner or admin: they may change any connection there. */
  managedTeamIds?: string[];
  /** A restricted API token's connections: the only ones the caller may see. Absent: all of `teamIds`'. */
  connectionIds?: readonly string[];
}

/** What a change right is checked on: a connection or a keychain key, each with its team and creator. */
interface Owned {
  team_id: string;
  created_by: string | null;
}

/**
 * Who may change a connection (edit, reauthorize, delete) or a key of the keychain (edit, delete): its
 * creator and the team's owners and admins. Any member may see either and use it in scenarios, and
 * verify a connection.
 */
export function mayChange(caller: Caller, row: Owned): boolean {
  return (
    (row.created_by !== null && row.created_by === caller.userId) || (caller.managedTeamIds ?? []).includes(row.team_id)
  );
}

const STILL_ALLOWED = {
  connection: 'you can still use and verify it',
  key: 'you can still use it in scenarios',
} as const;

/** 403 with a sentence unless the caller may change the connection or key. */
export function requireChangeRight(caller: Caller, row: Owned, thing: keyof typeof STILL_ALLOWED = 'connection'): void {
  if (mayChange(caller, row)) return;
  throw new HitchError('forbidden', {
    message: row.created_by
      ? `Only the person who created this ${thing}, or an owner or admin of its team, can change it; ${STILL_ALLOWED[thing]}.`
      : `Only an owner or admin of the team can change this ${thing}; ${STILL_ALLOWED[thing]}.`,
  });
}
