import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../config.ts';

export const MASTER_KEY_BYTES = 32;

/**
 * A short public name for a master key: first 16 hex digits of
 * HMAC-SHA256(key, 'hitch-master-key-id'). Stored beside each wrapped data key
 * so an error can say which key is missing without revealing any key.
 */
export function masterKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('hitch-master-key-id').digest('hex').slice(0, 16);
}

/**
 * The master key from its configured source:
 * - `base64`: HITCH_MASTER_KEY itself;
 * - `file`: HITCH_MASTER_KEY_FILE, holding the base64 of 32 bytes;
 * - `generateAt`: the file Hitch made on its first start, created now (mode 0600) when missing.
 * A key that cannot be read stops the start with a `ConfigError` naming the variable.
 */
export function loadMasterKey(config: Pick<Config, 'masterKey'>): Buffer {
  const source = config.masterKey;
  if ('base64' in source) return decodeKey('HITCH_MASTER_KEY', source.base64, 'HITCH_MASTER_KEY');
  if ('file' in source) return readKeyFile('HITCH_MASTER_KEY_FILE', source.file);
  return readOrGenerateKeyFile(source.generateAt);
}

/** HITCH_PREVIOUS_MASTER_KEYS, decoded: older master keys that still unwrap data keys during a change. */
export function loadPreviousMasterKeys(config: Pick<Config, 'previousMasterKeys'>): Buffer[] {
  return config.previousMasterKeys.map((value) => decodeKey('HITCH_PREVIOUS_MASTER_KEYS', value, 'each entry'));
}

function decodeKey(variable: string, value: string, what: string): Buffer {
  const text = value.trim();
  const key = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || key.length !== MASTER_KEY_BYTES) {
    throw new ConfigError(
      variable,
      `${what} must be the base64 of exactly 32 bytes (make one with: openssl rand -base64 32)`,
    );
  }
  return key;
}

function readKeyFile(variable: string, file: string): Buffer {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new ConfigError(variable, `the master key file ${file} ${reason}`);
  }
  return decodeKey(variable, text, `the master key file ${file}`);
}

function readOrGenerateKeyFile(file: string): Buffer {
  if (fs.existsSync(file)) return readKeyFile('DATA_DIR', file);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Write a temporary file, then link it into place: link fails when the name
  // exists, so two instances starting together end up sharing one key, and no
  // one ever reads a half-written file.
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const key = randomBytes(MASTER_KEY_BYTES);
  try {
    fs.writeFileSync(temporary, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    fs.chmodSync(temporary, 0o600);
    fs.linkSync(temporary, file);
  } catch (error) {
    key.fill(0);
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile('DATA_DIR', file);
    throw new ConfigError('DATA_DIR', `cannot create the master key file ${file}: ${(error as Error).message}`);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  return key;
}
