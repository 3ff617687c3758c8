import { useState } from 'react';
import { api, messageOf } from '../api/client.ts';
import type { ConnectionView } from '../api/types.ts';
import { reauthorizeConnection } from './reauthorize.ts';

export type Note = { kind: 'ok' | 'error'; text: string } | null;

/**
 * Verify, Reauthorize and Rename of one connection, with what is under way
 * (`busy`) and how the last one went (`note`): the table's row and the
 * connection's page do them the same way.
 */
export function useConnectionActions(c: ConnectionView, onChanged: (connection: ConnectionView) => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const [note, setNote] = useState<Note>(null);

  async function act(label: string, work: () => Promise<void>): Promise<boolean> {
    setBusy(label);
    setNote(null);
    try {
      await work();
      return true;
    } catch (e) {
      setNote({ kind: 'error', text: messageOf(e) });
      return false;
    } finally {
      setBusy(null);
    }
  }

  const verify = () =>
    act('Verifying', async () => {
      const result = await api('POST /connections/:id/verify', { params: { id: c.id } });
      onChanged(result.connection);
      setNote(
        result.verified
          ? {
              kind: 'ok',
              text: `Verified: the connection works${result.connection.account?.label ? ` as ${result.connection.account.label}` : ''}.`,
            }
          : { kind: 'error', text: result.error?.message ?? 'The connection did not pass verification.' },
      );
    });

  const reauthorize = () =>
    act('Reauthorizing', async () => {
      const outcome = await reauthorizeConnection(c);
      if (!outcome.ok) throw new Error(outcome.message);
      onChanged(await api('GET /connections/:id', { params: { id: c.id } }));
      setNote({ kind: 'ok', text: outcome.message });
    });

  const rename = (draft: string) =>
    act('Renaming', async () => {
      const name = draft.trim();
      if (!name) throw new Error('A connection needs a name: type one, or press Escape to keep the old one.');
      onChanged(await api('PATCH /connections/:id', { params: { id: c.id }, body: { name } }));
    });

  return { busy, note, verify, reauthorize, rename };
}
