import { useCallback, useEffect, useState } from 'react';
import { messageOf } from './api/client.ts';

export interface AsyncState<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload(): void;
  set(data: T): void;
}

/** Loads `load()` when `key` changes; errors become the API's sentence. */
export function useAsync<T>(load: () => Promise<T>, key: string): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  // Loading until the load for this key and round has settled: derived, so it is true from the render that asks.
  const wanted = `${round}:${key}`;
  const [settled, setSettled] = useState<string | null>(null);
  const loading = settled !== wanted;
  useEffect(() => {
    let live = true;
    load().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(null);
        setSettled(wanted);
      },
      (e: unknown) => {
        if (!live) return;
        setError(messageOf(e));
        setSettled(wanted);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `load` is a fresh closure each render; `key` (in `wanted`, with `round`) says when it means something else.
  }, [wanted]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, reload, set: setData };
}
