import type { ExecutionView, ModuleListing, ScenarioModule } from '../api/types.ts';
import { formatDate } from '../format.ts';

const STATUS_WORDS = { success: 'succeeded', error: 'failed', skipped: 'was skipped' } as const;

/** What a run did, module by module: status, the call made (never its credentials), and the output. */
export function RunResult({
  execution,
  steps,
  listings,
}: {
  execution: ExecutionView;
  steps: ScenarioModule[];
  listings: ModuleListing[];
}) {
  const nameOf = (id: number) => {
    const step = steps.find((s) => s.id === id);
    return (
      listings.find((l) => l.app === step?.app && l.id === step.module)?.name ?? step?.module ?? 'a removed module'
    );
  };
  return (
    <section className="run" aria-labelledby="run-title">
      <h2 id="run-title">Last run</h2>
      <p role="status" className={execution.status === 'success' ? 'ok' : 'error'}>
        {execution.status === 'success'
          ? 'The run succeeded'
          : `The run failed${execution.error ? `: ${execution.error.message}` : '.'}`}
        {execution.status === 'success' ? ` (${formatDate(execution.startedAt)}).` : ''}
      </p>
      <ol className="run-modules">
        {execution.modules.map((m) => (
          <li key={m.id} className={m.status}>
            <strong>
              Module {m.id} ({nameOf(m.id)}) {STATUS_WORDS[m.status]}
            </strong>
            {m.request && (
              <span className="call">
                {' '}
                {m.request.method} {m.request.url} → {m.request.status} in {m.request.ms} ms
              </span>
            )}
            {m.error && <p className="error">{m.error.message}</p>}
            {m.output !== undefined && (
              <details>
                <summary>Output of module {m.id}</summary>
                <pre>{JSON.stringify(m.output, null, 2)}</pre>
              </details>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
