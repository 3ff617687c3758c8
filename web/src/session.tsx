import { createContext, useContext } from 'react';
import type { Me, TeamMembership } from './api/types.ts';

export interface Session {
  me: Me;
  team: TeamMembership;
  setTeam(teamId: string): void;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new TypeError('useSession outside a signed-in page');
  return session;
}
