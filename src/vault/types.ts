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
  /** The same, synchronously; undefined when the ciphertext names a data key this instance has not loaded yet (then `decryptJson`). */
  decryptJsonNow(ciphertext: string, context: SecretContext): unknown;
  /** The data-key id a ciphertext was written with (for rotation progress). */
  keyIdOf(ciphertext: string): string;
  /** Id of the data key new ciphertexts use. */
  currentKeyId(): string;
}

/** A data key as the operator sees it (`hitch keys status`). Never holds key material. */
export interface DataKeyInfo {
  id: string;
  /** Fingerprint of the master key that wraps it. */
  masterKeyId: string;
  createdAt: number;
  /** New ciphertexts use this key. */
  current: boolean;
  /** This instance holds it unwrapped (its master key is the current or a previous one). */
  usable: boolean;
}

/** Key management, for start-up and the `hitch keys` command; services need only `Vault`. */
export interface VaultAdmin {
  /** Fingerprint of the current master key. */
  masterKeyId(): string;
  /** Every data key in the database, oldest first. */
  dataKeys(): Promise<DataKeyInfo[]>;
  /** Creates a data key under the current master key and makes it current here; other instances pick it up on their next reload. Returns its id. */
  rotateDataKey(): Promise<string>;
  /** Re-wraps every data key not wrapped by the current master key. Returns how many were rewritten. */
  rewrapDataKeys(): Promise<number>;
  /** Re-reads the data keys from the database (another instance may have rotated). */
  reload(): Promise<void>;
  /** Stops the periodic reload. */
  close(): void;
}
