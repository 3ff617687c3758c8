import { useState, type SubmitEvent } from 'react';
import { api, messageOf } from '../api/client.ts';
import { Empty, ErrorText, Loading } from '../components/status.tsx';
import { formText } from '../form.ts';
import { formatDate, plural } from '../format.ts';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAsync } from '../use-async.ts';

/** Scenarios: the team's list and Create scenario. */
export function ScenariosPage() {
  const { team } = useSession();
  const list = useAsync(() => api('GET /scenarios', { query: { teamId: team.id, limit: 200 } }), team.id);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function create(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = formText(new FormData(event.currentTarget), 'name').trim();
    setError(null);
    try {
      const scenario = await api('POST /scenarios', { body: { teamId: team.id, name, modules: [] } });
      navigate(`/scenarios/${scenario.id}`);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  const items = list.data?.items ?? [];
  return (
    <section aria-labelledby="scenarios-title">
      <div className="page-head">
        <h1 id="scenarios-title">Scenarios</h1>
        <button type="button" onClick={() => setCreating(true)} aria-expanded={creating}>
          Create scenario
        </button>
      </div>
      {creating && (
        <form className="inline-form" onSubmit={create}>
          <label>
            Scenario name
            <input name="name" required autoFocus defaultValue="My scenario" maxLength={200} />
          </label>
          <button type="submit">Create</button>
          <button type="button" className="secondary" onClick={() => setCreating(false)}>
            Cancel
          </button>
        </form>
      )}
      <ErrorText>{error ?? list.error}</ErrorText>
      {list.loading && !list.data ? (
        <Loading what="scenarios" />
      ) : items.length === 0 && !list.error ? (
        <Empty>
          <p>{team.name} has no scenarios yet. Create scenario, then add modules to it.</p>
        </Empty>
      ) : (
        <ul className="cards">
          {items.map((s) => (
            <li key={s.id}>
              <Link to={`/scenarios/${s.id}`}>{s.name}</Link>{' '}
              <small>
                {plural(s.modules.length, 'module', 'modules')} · changed {formatDate(s.updatedAt)}
              </small>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
