import { Transform, type Readable } from 'node:stream';

/**
 * Reads a response body into memory, never holding more than `limitBytes`: past
 * the limit the body is destroyed, which makes undici close the socket instead of
 * draining an endless answer. A declared Content-Length over the limit fails
 * before a byte is read.
 */
export async function readLimited(
  body: Readable,
  limitBytes: number,
  declaredLength: string | undefined,
  tooLarge: () => Error,
): Promise<Buffer> {
  if (declaredLength !== undefined && Number(declaredLength) > limitBytes) {
    body.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > limitBytes) {
      body.destroy();
      throw tooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}

export interface GuardOptions {
  /** Destroy the stream with `tooLarge()` past this many bytes; no limit when undefined. */
  limitBytes: number | undefined;
  tooLarge: () => Error;
  /** Turns the source's errors into what the reader should see. */
  mapError: (error: unknown) => Error;
  /** Called once, however the body ends (end, error or destroy by the reader). */
  onDone: () => void;
}

/**
 * Passes a streamed body on chunk by chunk (backpressure intact, nothing
 * buffered beyond the stream's high-water mark), counting bytes and giving its
 * errors the same HitchError codes as buffered calls. Destroying the returned
 * stream destroys the source, so the socket is not left half read.
 */
export function guardStream(source: Readable, options: GuardOptions): Readable {
  let total = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      if (options.limitBytes !== undefined && total > options.limitBytes) {
        callback(options.tooLarge());
        return;
      }
      callback(null, chunk);
    },
  });
  source.on('error', (error) => guard.destroy(options.mapError(error)));
  guard.once('close', () => {
    if (!source.destroyed) source.destroy();
    options.onDone();
  });
  source.pipe(guard);
  return guard;
}
