import type { Note } from './use-connection-actions.ts';

/** What a connection's action is doing, and how it went: shared by the table row and the page. */
export function ActionStatus({ busy, note, okClass = 'ok' }: { busy: string | null; note: Note; okClass?: string }) {
  return (
    <>
      {busy && (
        <p role="status" className="loading">
          <span className="spinner" aria-hidden="true" /> {busy}…
        </p>
      )}
      {note && (
        <p role={note.kind === 'error' ? 'alert' : 'status'} className={note.kind === 'error' ? 'error' : okClass}>
          {note.text}
        </p>
      )}
    </>
  );
}
