import { useState } from 'react';

/** Copies `text`, and says so. Browsers offer the clipboard on secure origins only; elsewhere the person selects it. */
export function CopyButton({ text }: { text: string }) {
  const [said, setSaid] = useState<string | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setSaid('Copied.');
    } catch {
      setSaid('Your browser did not allow copying here: select the text and copy it yourself.');
    }
  }
  return (
    <>
      <button type="button" className="secondary" onClick={() => void copy()}>
        Copy
      </button>
      <span role="status" className="copied">
        {said}
      </span>
    </>
  );
}
