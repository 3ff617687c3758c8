import { hash } from 'node:crypto';

/**
 * Session and API tokens are stored as their SHA-256, never as themselves. They
 * carry 256 bits of randomness, so a fast hash is enough (no salt, no stretching)
 * and lets the database find a row by it. Looking a row up by this digest leaks
 * nothing usable through timing: the attacker would need a token hashing to a
 * chosen prefix.
 */
export function sha256(value: string): string {
  // One-shot: every authenticated request hashes its token, and no Hash object is needed (Node ≥ 20.12).
  return hash('sha256', value, 'hex');
}
