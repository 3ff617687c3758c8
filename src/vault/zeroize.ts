/**
 * Overwrites a buffer holding key material or plaintext once it is no longer
 * needed, so it does not linger in memory until the garbage collector runs.
 */
export function zeroize(buf: Buffer | Uint8Array | null | undefined): void {
  buf?.fill(0);
}
