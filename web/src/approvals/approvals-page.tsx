import { useState } from 'react';
import { api, messageOf } from '../api/client.ts';
import type { ReplyOf } from '../api/types.ts';
import { Empty, ErrorText, Loading } from '../components/status.tsx';
import { formatDate } from '../format.ts';
import { useSession } from '../session.tsx';
import { useAsync } from '../use-async.ts';

type Approval = ReplyOf<'GET /approvals/:id'>;

/**
 * Approvals: agents' writes waiting for a person (tokens created with `approval: "writes"`).
 * The team's owners and admins approve or deny each; an approved call runs once, now.
 */
export function ApprovalsPage() {
  const { team } = useSession();
  const list = useAsync(
    () => api('GET /approvals', { query: { teamId: team.id, status: 'pending', limit: 100 } }),
    team.id,
  );
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  const mayDecide = team.role === 'owner' || team.role === 'admin';

  async function decide(approval: Approval, decision: 'approve' | 'deny') {
    setError(null);
    setBusy(approval.id);
    try {
      const decided = await api('POST /approvals/:id', { params: { id: approval.id }, body: { decision } });
      list.set({ items: items.filter((a) => a.id !== approval.id), nextCursor: list.data?.nextCursor ?? null });
      setNotice(
        decided.status === 'approved'
          ? `Approved: ${decided.method} ${decided.path} ran${decided.result?.isError ? ', and the service refused it' : ''}.`
          : `Denied: ${decided.method} ${decided.path} was not sent.`,
      );
    } catch (e) {
      setError(messageOf(e));
      list.reload();
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby="approvals-title">
      <div className="page-head">
        <h1 id="approvals-title">Approvals</h1>
      </div>
      {notice && (
        <p role="status" className="ok notice">
          {notice}
        </p>
      )}
      <ErrorText>{error ?? list.error}</ErrorText>
      {list.loading && !list.data ? (
        <Loading what="approvals" />
      ) : items.length === 0 && !list.error ? (
        <Empty>
          <p>No agent is waiting for an approval in {team.name}.</p>
        </Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Asked</th>
              <th scope="col">Token</th>
              <th scope="col">Call</th>
              <th scope="col">Arguments</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Decision</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id}>
                <td>{formatDate(a.createdAt)}</td>
                <td>{a.tokenName}</td>
                <td>
                  <code>
                    {a.method} {a.path}
                  </code>{' '}
                  <span className="who">({a.tool})</span>
                </td>
                <td>
                  <code>{JSON.stringify(a.arguments)}</code>
                </td>
                <td>{formatDate(a.expiresAt)}</td>
                <td className="actions">
                  {mayDecide ? (
                    <>
                      <button type="button" disabled={busy === a.id} onClick={() => void decide(a, 'approve')}>
                        Approve
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        disabled={busy === a.id}
                        onClick={() => void decide(a, 'deny')}
                      >
                        Deny
                      </button>
                    </>
                  ) : (
                    <span className="who">An owner or admin decides</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
