import type { Database } from './schema.ts';

/**
 * One column holding vault ciphertext. Every ciphertext in it is bound to
 * `{ table, id: <row's idColumn>, field }` — the SecretContext the owning code
 * passes to encrypt and decrypt must use exactly these names.
 */
export type EncryptedColumn = {
  [T in keyof Database]: {
    table: T;
    idColumn: keyof Database[T] & string;
    column: keyof Database[T] & string;
    field: string;
  };
}[keyof Database];

/**
 * Every encrypted column, so `hitch keys rotate` rewrites them all and
 * `hitch keys status` counts them. A feature adding an `_enc` column appends it here.
 */
export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { table: 'connections', idColumn: 'id', column: 'secrets_enc', field: 'secrets' },
  { table: 'oauth_flows', idColumn: 'state_hash', column: 'payload_enc', field: 'payload' },
  { table: 'team_webhooks', idColumn: 'team_id', column: 'secret_enc', field: 'secret' },
  { table: 'keys', idColumn: 'id', column: 'secrets_enc', field: 'secrets' },
];
