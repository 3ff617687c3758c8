import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import { HitchError, invalidField } from '../../errors.ts';
import { aesKeyBytes, readPgpPrivateKey } from '../../keys/material.ts';
import type { UsableKey } from '../../keys/types.ts';
import type { ModuleSpec } from './types.ts';

/**
 * The Encryptor app: AES (GCM, so tampering is detected) and OpenPGP with keys
 * from the keychain. AES output is base64 of nonce ‖ ciphertext ‖ tag.
 */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

function keyOf(key: UsableKey | undefined): UsableKey {
  if (!key) throw invalidField('keyId', 'This module needs a key.');
  return key;
}

function text(inputs: Record<string, unknown>): string {
  const data = inputs.data;
  if (typeof data !== 'string') throw invalidField('data', 'data must be text.');
  return data;
}

function aesAlgorithm(key: Buffer): 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' {
  return key.length === 16 ? 'aes-128-gcm' : key.length === 24 ? 'aes-192-gcm' : 'aes-256-gcm';
}

const failed = (message: string) => new HitchError('encryptor_failed', { message });

const dataInput = (label: string) => [{ name: 'data', label, type: 'textarea' as const, required: true }];

export const encryptorModules: ModuleSpec[] = [
  {
    app: 'encryptor',
    id: 'aes-encrypt',
    name: 'Encrypt data (AES)',
    needs: { kind: 'key', type: 'aes' },
    inputs: dataInput('Data'),
    scopes: [],
    async run({ key, inputs }) {
      const bytes = aesKeyBytes(keyOf(key).secrets.key!);
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv(aesAlgorithm(bytes), bytes, nonce);
      const sealed = Buffer.concat([cipher.update(text(inputs), 'utf8'), cipher.final()]);
      return { output: { data: Buffer.concat([nonce, sealed, cipher.getAuthTag()]).toString('base64') } };
    },
  },
  {
    app: 'encryptor',
    id: 'aes-decrypt',
    name: 'Decrypt data (AES)',
    needs: { kind: 'key', type: 'aes' },
    inputs: dataInput('Encrypted data (base64)'),
    scopes: [],
    async run({ key, inputs }) {
      const bytes = aesKeyBytes(keyOf(key).secrets.key!);
      const all = Buffer.from(text(inputs), 'base64');
      if (all.length < NONCE_BYTES + TAG_BYTES)
        throw failed('The data is too short to be AES-GCM output of the Encryptor.');
      try {
        const decipher = createDecipheriv(aesAlgorithm(bytes), bytes, all.subarray(0, NONCE_BYTES));
        decipher.setAuthTag(all.subarray(all.length - TAG_BYTES));
        const plain = Buffer.concat([
          decipher.update(all.subarray(NONCE_BYTES, all.length - TAG_BYTES)),
          decipher.final(),
        ]);
        return { output: { data: plain.toString('utf8') } };
      } catch {
        throw failed('The data could not be decrypted with this key: it was changed, or encrypted with another key.');
      }
    },
  },
  {
    app: 'encryptor',
    id: 'pgp-encrypt',
    name: 'Encrypt data (PGP)',
    needs: { kind: 'key', type: 'pgp' },
    inputs: dataInput('Data'),
    scopes: [],
    async run({ key, inputs }) {
      const armored = keyOf(key).parameters.publicKey;
      if (!armored) throw failed('This PGP key has no public key to encrypt to: add one to the key.');
      // Only the public part encrypts; readKey types its answer as the abstract Key.
      const encryptionKeys = (await openpgp.readKey({ armoredKey: armored })).toPublic();
      const data = await openpgp.encrypt({
        message: await openpgp.createMessage({ text: text(inputs) }),
        encryptionKeys,
      });
      return { output: { data } };
    },
  },
  {
    app: 'encryptor',
    id: 'pgp-decrypt',
    name: 'Decrypt data (PGP)',
    needs: { kind: 'key', type: 'pgp' },
    inputs: dataInput('Encrypted message (armored)'),
    scopes: [],
    async run({ key, inputs }) {
      const usable = keyOf(key);
      if (!usable.secrets.privateKey)
        throw failed('This PGP key has no private key to decrypt with: add one to the key.');
      const decryptionKeys = await readPgpPrivateKey(usable.secrets.privateKey, usable.secrets.passphrase);
      try {
        const message = await openpgp.readMessage({ armoredMessage: text(inputs) });
        const { data } = await openpgp.decrypt({ message, decryptionKeys });
        return { output: { data: String(data) } };
      } catch {
        throw failed('The message could not be decrypted with this key: it is not an OpenPGP message for it.');
      }
    },
  },
];
