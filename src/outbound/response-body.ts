import type { Readable } from 'node:stream';

/**
 * Reads a response body into memory. The byte limit is held as the body arrives, by the
 * exchange's handler (answer-handler.ts), which aborts past it; a declared Content-Length
 * over the limit fails here before a byte is read.
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
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
