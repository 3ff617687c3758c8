/** The keychain's types: secrets for the generic modules, kept apart from connections. */
export const KEY_TYPES = ['apiKey', 'basic', 'certificate', 'aes', 'pgp'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export function isKeyType(value: unknown): value is KeyType {
  return typeof value === 'string' && (KEY_TYPES as readonly string[]).includes(value);
}

/** A key's values split by where they live: `parameters` in its row, `secrets` in the vault. */
export interface KeyMaterial {
  parameters: Record<string, string>;
  secrets: Record<string, string>;
  /** SHA-256 of a certificate, a PGP key's fingerprint; null for the types that have none. */
  fingerprint: string | null;
}

/** The public key (the API contract): never a secret. */
export interface KeyView {
  id: string;
  teamId: string;
  name: string;
  type: KeyType;
  parameters: Record<string, string>;
  fingerprint: string | null;
  /** Where the key may be sent (apiKey, basic, certificate); empty for the other types. */
  origins: string[];
  usedBy: Array<{ scenarioId: string; name: string }>;
  createdAt: string;
  updatedAt: string;
}

/** What a module receives: the key's values, secrets included. Held only for the length of one call. */
export interface UsableKey {
  id: string;
  type: KeyType;
  origins: string[];
  parameters: Record<string, string>;
  secrets: Record<string, string>;
}

export function keySecretContext(keyId: string) {
  return { table: 'keys', id: keyId, field: 'secrets' } as const;
}
