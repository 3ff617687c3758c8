import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError, messageOf, whenSignedOut } from './api/client.ts';
import type { Me } from './api/types.ts';
import { ApprovalsPage } from './approvals/approvals-page.tsx';
import { AttentionBanner } from './attention-banner.tsx';
import { ErrorText, Loading } from './components/status.tsx';
import { takeReturnedOutcome } from './connections/consent.ts';
import { ConnectionPage } from './connections/connection-page.tsx';
import { ConnectionsPage } from './connections/connections-page.tsx';
import type { Returned } from './connections/returned.ts';
import { KeysPage } from './keys/keys-page.tsx';
import { Link, navigate, usePath } from './router.tsx';
import { ScenarioEditor } from './scenarios/scenario-editor.tsx';
import { ScenariosPage } from './scenarios/scenarios-page.tsx';
import { SessionContext, type Session } from './session.tsx';
import { SignIn } from './sign-in.tsx';

const TEAM_KEY = 'hitch-team';

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [teamId, setTeamId] = useState<string | null>(() => localStorage.getItem(TEAM_KEY));
  const [returned] = useState<Returned | null>(() => takeReturnedOutcome());
  // The pages' notice, starting with a same-tab authorization's success, and how often it changed:
  // anything that changes a connection may change what needs attention.
  const [announced, setAnnounced] = useState(() => ({
    notice: returned?.outcome.ok ? returned.outcome.message : null,
    round: 0,
  }));
  const { notice, round } = announced;
  const onNotice = useCallback((message: string | null) => {
    setAnnounced((a) => (a.notice === message ? a : { notice: message, round: a.round + 1 }));
  }, []);
  const path = usePath();

  useEffect(() => {
    whenSignedOut(() => setMe(null));
    api('GET /me').then(setMe, (e: unknown) =>
      e instanceof ApiError && e.status === 401 ? setMe(null) : setLoadError(messageOf(e)),
    );
  }, []);
  useEffect(() => {
    if (path === '/' || path === '/index.html') navigate('/scenarios', { replace: true });
  }, [path]);

  const session = useMemo<Session | null>(() => {
    if (!me) return null;
    const team = me.teams.find((t) => t.id === teamId) ?? me.teams[0];
    if (!team) return null;
    return {
      me,
      team,
      setTeam(id) {
        localStorage.setItem(TEAM_KEY, id);
        setTeamId(id);
      },
      async signOut() {
        await api('POST /auth/logout').catch(() => undefined);
        setMe(null);
      },
    };
  }, [me, teamId]);

  if (me === undefined) return loadError ? <ErrorText>{loadError}</ErrorText> : <Loading what="Hitch" />;
  if (me === null) return <SignIn onSignedIn={setMe} />;
  if (!session) return <p className="empty">You are not in any team yet: ask an administrator to add you to one.</p>;

  const section = path.split('/')[1] ?? '';
  const scenarioId = section === 'scenarios' ? path.split('/')[2] : undefined;
  const connectionId = section === 'connections' ? path.split('/')[2] : undefined;
  let page;
  if (connectionId) page = <ConnectionPage key={connectionId} id={connectionId} onNotice={onNotice} />;
  else if (section === 'connections')
    page = (
      <ConnectionsPage
        notice={notice}
        onNotice={onNotice}
        returned={returned?.context.path.startsWith('/connections') ? returned : null}
      />
    );
  else if (section === 'keys') page = <KeysPage />;
  else if (section === 'approvals') page = <ApprovalsPage />;
  else if (scenarioId)
    page = (
      <ScenarioEditor
        key={scenarioId}
        id={scenarioId}
        notice={notice}
        onNotice={onNotice}
        returned={returned?.context.path === path ? returned : null}
      />
    );
  else page = <ScenariosPage />;

  return (
    <SessionContext.Provider value={session}>
      <header className="top">
        <span className="brand">Hitch</span>
        <nav aria-label="Main">
          <Link to="/scenarios" current={section === 'scenarios'}>
            Scenarios
          </Link>
          <Link to="/connections" current={section === 'connections'}>
            Connections
          </Link>
          <Link to="/keys" current={section === 'keys'}>
            Keys
          </Link>
          <Link to="/approvals" current={section === 'approvals'}>
            Approvals
          </Link>
        </nav>
        <div className="team">
          {me.teams.length > 1 ? (
            <label>
              Team
              <select value={session.team.id} onChange={(e) => session.setTeam(e.target.value)}>
                {me.teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <span aria-label="Team">{session.team.name}</span>
          )}
          <span className="who">{me.user.email}</span>
          <button type="button" className="secondary" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <AttentionBanner round={round} />
      <main key={session.team.id}>{page}</main>
    </SessionContext.Provider>
  );
}
