import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import * as openpgp from 'openpgp';
import { invalidField } from '../errors.ts';
import type { KeyMaterial, KeyType } from './types.ts';

/** One parameter of a key type. Secret ones are write-only: stored in the vault, never shown. */
interface KeyField {
  name: string;
  secret: boolean;
  required: boolean;
  options?: readonly string[];
}

export const KEY_FIELDS: Record<KeyType, readonly KeyField[]> = {
  apiKey: [
    { name: 'key', secret: true, required: true },
    { name: 'placement', secret: false, required: true, options: ['header', 'query'] },
    { name: 'parameterName', secret: false, required: true },
  ],
  basic: [
    { name: 'username', secret: false, required: true },
    { name: 'password', secret: true, required: true },
  ],
  certificate: [
    { name: 'certificate', secret: false, required: true },
    { name: 'privateKey', secret: true, required: true },
    { name: 'passphrase', secret: true, required: false },
  ],
  aes: [{ name: 'key', secret: true, required: true }],
  pgp: [
    { name: 'publicKey', secret: false, required: false },
    { name: 'privateKey', secret: true, required: false },
    { name: 'passphrase', secret: true, required: false },
  ],
};

const MAX_VALUE_LENGTH = 64 * 1024;

/**
 * Checks a key's parameters for its type and splits them. `existing` (on PATCH)
 * supplies what was not sent again, so an omitted secret keeps its value; the
 * whole result is checked again, so a certificate and its key always match.
 */
export async function checkKeyMaterial(
  type: KeyType,
  input: unknown,
  existing?: { parameters: Record<string, string>; secrets: Record<string, string> },
): Promise<KeyMaterial> {
  if (input !== undefined && (input === null || typeof input !== 'object' || Array.isArray(input)))
    throw invalidField('parameters', 'parameters must be an object.');
  const given = (input ?? {}) as Record<string, unknown>;
  const fields = KEY_FIELDS[type];
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const name of Object.keys(given)) {
    if (!byName.has(name))
      throw invalidField(
        `parameters.${name}`,
        `"${name}" is not a parameter of a ${type} key; it takes: ${fields.map((f) => f.name).join(', ')}.`,
      );
  }
  const kept = {
    parameters: new Map(Object.entries(existing?.parameters ?? {})),
    secrets: new Map(Object.entries(existing?.secrets ?? {})),
  };
  for (const field of fields) {
    const raw = given[field.name];
    if (raw === undefined) continue;
    if (raw === null || raw === '') {
      kept.parameters.delete(field.name);
      kept.secrets.delete(field.name);
      continue;
    }
    if (typeof raw !== 'string') throw invalidField(`parameters.${field.name}`, `${field.name} must be text.`);
    if (raw.length > MAX_VALUE_LENGTH) throw invalidField(`parameters.${field.name}`, `${field.name} is too long.`);
    if (field.options && !field.options.includes(raw))
      throw invalidField(`parameters.${field.name}`, `${field.name} must be one of: ${field.options.join(', ')}.`);
    (field.secret ? kept.secrets : kept.parameters).set(field.name, raw);
  }
  const parameters = Object.fromEntries(kept.parameters);
  const secrets = Object.fromEntries(kept.secrets);
  for (const field of fields) {
    const value = field.secret ? secrets[field.name] : parameters[field.name];
    if (field.required && value === undefined)
      throw invalidField(`parameters.${field.name}`, `${field.name} is required for a ${type} key.`);
  }
  const fingerprint = await verify(type, parameters, secrets);
  return { parameters, secrets, fingerprint };
}

/** Verifies a key as far as its type allows, and returns its fingerprint where one exists. */
async function verify(
  type: KeyType,
  parameters: Record<string, string>,
  secrets: Record<string, string>,
): Promise<string | null> {
  switch (type) {
    case 'apiKey':
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(parameters.parameterName!))
        throw invalidField(
          'parameters.parameterName',
          'parameterName must be a header or query parameter name, without spaces.',
        );
      if (/[\r\n]/.test(secrets.key!)) throw invalidField('parameters.key', 'The key must be on one line.');
      return null;
    case 'basic':
      if (parameters.username!.includes(':'))
        throw invalidField('parameters.username', 'A Basic user name cannot contain a colon.');
      return null;
    case 'certificate':
      return verifyCertificate(parameters.certificate!, secrets.privateKey!, secrets.passphrase);
    case 'aes':
      aesKeyBytes(secrets.key!);
      return null;
    case 'pgp':
      return verifyPgp(parameters.publicKey, secrets.privateKey, secrets.passphrase);
  }
}

function verifyCertificate(pem: string, privateKeyPem: string, passphrase: string | undefined): string {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw invalidField(
      'parameters.certificate',
      'The certificate is not a PEM certificate (-----BEGIN CERTIFICATE-----).',
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: privateKeyPem, format: 'pem', ...(passphrase ? { passphrase } : {}) });
  } catch {
    throw invalidField(
      'parameters.privateKey',
      passphrase
        ? 'The private key cannot be read with this passphrase.'
        : 'The private key is not a PEM private key, or it is encrypted and needs its passphrase.',
    );
  }
  if (!certificate.checkPrivateKey(key))
    throw invalidField('parameters.privateKey', 'The private key does not belong to this certificate.');
  return certificate.fingerprint256;
}

/** 128, 192 or 256 bits, written in hex (32, 48 or 64 digits) or base64. */
export function aesKeyBytes(text: string): Buffer {
  const trimmed = text.trim();
  const bytes =
    /^[0-9a-fA-F]+$/.test(trimmed) && [32, 48, 64].includes(trimmed.length)
      ? Buffer.from(trimmed, 'hex')
      : /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)
        ? Buffer.from(trimmed, 'base64')
        : Buffer.alloc(0);
  if (![16, 24, 32].includes(bytes.length))
    throw invalidField(
      'parameters.key',
      'An AES key must be 128, 192 or 256 bits, written in hex (32, 48 or 64 digits) or base64.',
    );
  return bytes;
}

async function verifyPgp(
  publicKey: string | undefined,
  privateKey: string | undefined,
  passphrase: string | undefined,
): Promise<string> {
  if (!publicKey && !privateKey)
    throw invalidField('parameters.publicKey', 'A PGP key needs a public key, a private key, or both.');
  let fingerprint: string | undefined;
  if (publicKey) {
    try {
      fingerprint = (await openpgp.readKey({ armoredKey: publicKey })).getFingerprint();
    } catch {
      throw invalidField(
        'parameters.publicKey',
        'The public key is not an armored OpenPGP key (-----BEGIN PGP PUBLIC KEY BLOCK-----).',
      );
    }
  }
  if (privateKey) {
    const key = await readPgpPrivateKey(privateKey, passphrase);
    fingerprint ??= key.getFingerprint();
  }
  return fingerprint!;
}

/** The private key ready to decrypt with; refused in words when it does not parse or the passphrase is wrong. */
export async function readPgpPrivateKey(armored: string, passphrase: string | undefined): Promise<openpgp.PrivateKey> {
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armored });
  } catch {
    throw invalidField(
      'parameters.privateKey',
      'The private key is not an armored OpenPGP private key (-----BEGIN PGP PRIVATE KEY BLOCK-----).',
    );
  }
  if (key.isDecrypted()) return key;
  if (!passphrase) throw invalidField('parameters.passphrase', 'The private key is protected: give its passphrase.');
  try {
    return await openpgp.decryptKey({ privateKey: key, passphrase });
  } catch {
    throw invalidField('parameters.passphrase', 'The passphrase does not unlock the private key.');
  }
}
