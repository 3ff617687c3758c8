import type { KeyType } from '../api/types.ts';

export interface KeyField {
  name: string;
  label: string;
  secret: boolean;
  required: boolean;
  multiline?: boolean;
  options?: Array<{ value: string; label: string }>;
}

export const KEY_TYPE_LABELS: Record<KeyType, string> = {
  apiKey: 'API key',
  basic: 'Basic authentication',
  certificate: 'Client certificate',
  aes: 'AES key',
  pgp: 'PGP key',
};

/** The fields of each key type, as src/keys/material.ts accepts them. */
export const KEY_FIELDS: Record<KeyType, KeyField[]> = {
  apiKey: [
    { name: 'key', label: 'API key', secret: true, required: true },
    {
      name: 'placement',
      label: 'API key placement',
      secret: false,
      required: true,
      options: [
        { value: 'header', label: 'In a header' },
        { value: 'query', label: 'In the query string' },
      ],
    },
    { name: 'parameterName', label: 'API key parameter name', secret: false, required: true },
  ],
  basic: [
    { name: 'username', label: 'Username', secret: false, required: true },
    { name: 'password', label: 'Password', secret: true, required: true },
  ],
  certificate: [
    { name: 'certificate', label: 'Certificate (PEM)', secret: false, required: true, multiline: true },
    { name: 'privateKey', label: 'Private key (PEM)', secret: true, required: true, multiline: true },
    { name: 'passphrase', label: 'Passphrase', secret: true, required: false },
  ],
  aes: [{ name: 'key', label: 'Key (hex or base64)', secret: true, required: true }],
  pgp: [
    { name: 'publicKey', label: 'Public key', secret: false, required: false, multiline: true },
    { name: 'privateKey', label: 'Private key', secret: true, required: false, multiline: true },
    { name: 'passphrase', label: 'Passphrase', secret: true, required: false },
  ],
};
