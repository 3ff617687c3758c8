import type { Readable } from 'node:stream';

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
