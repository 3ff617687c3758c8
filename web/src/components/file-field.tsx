import { useState } from 'react';
import type { AppParameter } from '../api/types.ts';

/** Largest key file read; a service account's JSON is a few kilobytes. */
const MAX_FILE_BYTES = 64 * 1024;

/**
 * A `file` parameter: the JSON is read here, in the browser, and only the fields the
 * catalog names (`fills`) go into the form's other parameters. The file itself — and
 * anything else in it, such as a `token_uri` — is never sent.
 */
export function FileField({
  parameter,
  onFill,
}: {
  parameter: AppParameter;
  onFill: (values: Record<string, string>) => void;
}) {
  const [note, setNote] = useState<string | null>(null);
  async function read(file: File | undefined) {
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setNote('This file is too large to be a key file.');
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      setNote('This file is not JSON: choose the key file the service gave you.');
      return;
    }
    const filled: Record<string, string> = {};
    const fills = (parameter.fills ?? {}) as Record<string, string>;
    for (const [field, target] of Object.entries(fills)) {
      const value = (parsed as Record<string, unknown> | null)?.[field];
      if (typeof value === 'string' && value !== '') filled[target] = value;
    }
    if (Object.keys(filled).length === 0) {
      setNote('This file has none of the fields Hitch needs.');
      return;
    }
    onFill(filled);
    setNote(`Filled from ${file.name}.`);
  }
  return (
    <label>
      {parameter.label}
      <input type="file" accept="application/json,.json" onChange={(e) => void read(e.target.files?.[0])} />
      {note ? <small role="status">{note}</small> : parameter.help ? <small>{parameter.help}</small> : null}
    </label>
  );
}
