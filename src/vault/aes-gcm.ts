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

/** The base64url alphabet, in the order of the values its characters stand for. */
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL_TEXT = /^[A-Za-z0-9_-]*$/;

/**
 * Strict base64url: Node's decoder skips characters outside the alphabet and
 * ignores spare low bits, so a changed character could otherwise decode to the
 * same bytes. Only the one canonical spelling is accepted: the alphabet only, no
 * padding, no length that leaves a lone character, and a last character whose
 * bits beyond the bytes it completes are zero (checked here, not by encoding the
 * bytes again to compare, which cost every decryption a second string).
 */
export function decodeBase64Url(text: string): Buffer | null {
  const spare = text.length % 4;
  if (spare === 1 || !BASE64URL_TEXT.test(text)) return null;
  // Two characters end with one byte (4 spare bits), three with two bytes (2 spare bits).
  if (spare !== 0 && BASE64URL_ALPHABET.indexOf(text[text.length - 1]!) & (spare === 2 ? 0x0f : 0x03)) return null;
  return Buffer.from(text, 'base64url');
}
