import type { Readable } from 'node:stream';

/**
 * Reads a response body into memory. The byte limit is held as the body arrives, by the
 * exchange's handler (answer-handler.ts), which aborts past it; a declared Content-Length
 * over the limit fails here before a byte is read.
 */
export function readLimited(
  body: Readable,
  limitBytes: number,
  declaredLength: string | undefined,
  tooLarge: () => Error,
): Promise<Buffer> {
  if (declaredLength !== undefined && Number(declaredLength) > limitBytes) {
    body.destroy();
    return Promise.reject(tooLarge());
  }
  // Listeners rather than an async iterator: the iterator's promise per chunk and its end-of-stream
  // watcher cost a small answer more than reading it.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    body.on('data', (chunk: Buffer) => chunks.push(chunk));
    body.once('end', () => {
      ended = true;
      // Buffer.concat copies even one chunk: the answer never shares memory with the socket's.
      resolve(Buffer.concat(chunks));
    });
    body.once('error', reject);
    body.once('close', () => {
      if (!ended && !body.errored)
        reject(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    });
  });
}
