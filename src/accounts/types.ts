import type { TeamRole } from '../store/schema.ts';

export type { TeamRole };
export const TEAM_ROLES: readonly TeamRole[] = ['owner', 'admin', 'member'];

/** A user as the API shows them: never the password hash. */
export interface User {
  id: string;
  email: string;
  /** Instance administrator: may create users. */
  isAdmin: boolean;
}

/** A team as one of its members sees it. */
export interface TeamMembership {
  id: string;
  name: string;
  role: TeamRole;
}

/** A member as the team's member list shows them. */
export interface Member {
  userId: string;
  email: string;
  role: TeamRole;
  /** When they joined the team, ms since the epoch. */
  createdAt: number;
}

export interface UserWithTeams {
  user: User;
  teams: TeamMembership[];
}

/** A page of a keyset list: `cursor` is the last id of the previous page. */
export interface PageRequest {
  cursor?: string | undefined;
  limit: number;
}
