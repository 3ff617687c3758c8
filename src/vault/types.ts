/**
 * What a ciphertext is bound to: its table, row and column. Passed as AES-GCM
 * associated data, so a ciphertext copied to another row or column fails to
 * decrypt (and cannot be swapped between records).
 */
export interface SecretContext {
  table: string;
  id: string;
  field: string;
}

/** The only holder of plaintext keys. Everything else sees ciphertext strings. */
export interface Vault {
  /** Encrypts with the current data key. Returns a self-describing string: version, data-key id, nonce, ciphertext+tag. */
  encrypt(plaintext: string, context: SecretContext): string;
  /** Decrypts; throws HitchError('decryption_failed') when tampered, moved, or under an unknown key. */
  decrypt(ciphertext: string, context: SecretContext): Promise<string>;
  /** Convenience for JSON secrets. */
  encryptJson(value: unknown, context: SecretContext): string;
  decryptJson<T>(ciphertext: string, context: SecretContext): Promise<T>;
  /** The data-key id a ciphertext was written with (for rotation progress). */
  keyIdOf(ciphertext: string): string;
  /** Id of the data key new ciphertexts use. */
  currentKeyId(): string;
}
