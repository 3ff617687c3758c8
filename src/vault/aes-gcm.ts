import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';

/** 96-bit nonces: the size GCM is specified for (NIST SP 800-38D §8.2.2). */
export const NONCE_BYTES = 12;
/** Full 128-bit tags only; Node accepts shorter tags unless told the length. */
export const TAG_BYTES = 16;

export interface Sealed {
  nonce: Buffer;
  /** Ciphertext followed by the authentication tag. */
  sealed: Buffer;
}

/** AES-256-GCM with a fresh random nonce. */
export function seal(key: KeyObject, plaintext: Buffer, aad: Buffer): Sealed {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { nonce, sealed };
}

/** The plaintext, or null when the tag does not verify (wrong key, changed bytes or other associated data). */
export function open(key: KeyObject, nonce: Buffer, sealed: Buffer, aad: Buffer): Buffer | null {
  if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const body = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([body, decipher.final()]);
  } catch {
    body.fill(0);
    return null;
  }
}

/**
 * Strict base64url: Node's decoder skips characters outside the alphabet and
 * ignores spare low bits, so a changed character could otherwise decode to the
 * same bytes. Only the one canonical spelling is accepted.
 */
export function decodeBase64Url(text: string): Buffer | null {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}
