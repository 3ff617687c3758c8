import type { Config } from '../config.ts';
import { HitchError } from '../errors.ts';
import { isId } from '../ids.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/database.ts';
import { decodeBase64Url, open, seal } from './aes-gcm.ts';
import { associatedData, formatCiphertext, parseCiphertext } from './ciphertext.ts';
import { KeyRing } from './key-ring.ts';
import { loadMasterKey, loadPreviousMasterKeys } from './master-key.ts';
import { zeroize } from './zeroize.ts';
import type { SecretContext, Vault, VaultAdmin } from './types.ts';

const unknownKey = Symbol('unknown data key');

/** How often a running instance looks for data keys other instances created. */
export const DATA_KEY_RELOAD_INTERVAL_MS = 60_000;

export interface CreateVaultOptions {
  store: Store;
  /** 32 bytes. The vault keeps its own copy; the caller may zeroize its buffer afterwards. */
  masterKey: Buffer;
  /** Older master keys that still unwrap data keys during a master-key change. */
  previousMasterKeys?: Buffer[];
  log?: Logger;
  /** 0 turns the periodic reload off (tests, one-shot commands). */
  reloadIntervalMs?: number;
}

function checkContext(context: SecretContext): void {
  if (!context.table || !context.id || !context.field) {
    throw new TypeError('A secret needs a context with table, id and field');
  }
}

function decryptionFailed(context: SecretContext, message?: string): HitchError {
  return new HitchError('decryption_failed', {
    ...(message ? { message } : {}),
    details: { table: context.table, field: context.field },
  });
}

/**
 * Opens the vault: unwraps every data key (creating the first one in an empty
 * database) and keeps them in memory. Throws `vault_key_unusable`, changing
 * nothing, when the master keys given cannot unwrap a stored data key.
 */
export async function createVault(options: CreateVaultOptions): Promise<Vault & VaultAdmin> {
  const { store, masterKey, previousMasterKeys = [], log } = options;
  if (masterKey.length !== 32 || previousMasterKeys.some((key) => key.length !== 32)) {
    throw new TypeError('Master keys must be 32 bytes');
  }
  const ring = new KeyRing(store, masterKey, previousMasterKeys, log);
  await ring.open();

  const reloadIntervalMs = options.reloadIntervalMs ?? DATA_KEY_RELOAD_INTERVAL_MS;
  const timer =
    reloadIntervalMs > 0
      ? setInterval(() => {
          ring.reload().catch((error: unknown) => log?.warn({ err: error }, 'could not reload the data keys'));
        }, reloadIntervalMs)
      : null;
  timer?.unref();

  function encrypt(plaintext: string, context: SecretContext): string {
    if (typeof plaintext !== 'string')
      throw new TypeError('Only strings are encrypted; use encryptJson for other values');
    checkContext(context);
    const keyId = ring.currentId;
    const bytes = Buffer.from(plaintext, 'utf8');
    try {
      const { nonce, sealed } = seal(ring.get(keyId)!, bytes, associatedData(keyId, context));
      return formatCiphertext(keyId, nonce, sealed);
    } finally {
      zeroize(bytes);
    }
  }

  /**
   * The plaintext under a key this instance holds, or `unknownKey` when the ciphertext names a data
   * key it has not loaded yet. Synchronous: every miss of the token path decrypts once.
   */
  function openKnown(ciphertext: string, context: SecretContext): string | typeof unknownKey {
    checkContext(context);
    const parsed = typeof ciphertext === 'string' ? parseCiphertext(ciphertext) : null;
    if (!parsed) throw decryptionFailed(context);
    const key = ring.get(parsed.keyId);
    if (!key) return unknownKey;
    const nonce = decodeBase64Url(parsed.nonce);
    const sealed = decodeBase64Url(parsed.sealed);
    const plaintext = nonce && sealed ? open(key, nonce, sealed, associatedData(parsed.keyId, context)) : null;
    if (!plaintext) throw decryptionFailed(context);
    try {
      return plaintext.toString('utf8');
    } finally {
      zeroize(plaintext);
    }
  }

  async function decrypt(ciphertext: string, context: SecretContext): Promise<string> {
    const known = openKnown(ciphertext, context);
    if (known !== unknownKey) return known;
    const keyId = parseCiphertext(ciphertext)!.keyId;
    // Another instance may have rotated since this one last looked.
    if (isId(keyId)) await ring.reload();
    const reloaded = ring.has(keyId) ? openKnown(ciphertext, context) : unknownKey;
    if (reloaded === unknownKey)
      throw decryptionFailed(
        context,
        'A stored secret names a data key this database does not hold: it was changed, or copied from another Hitch installation.',
      );
    return reloaded;
  }

  function parseJson(text: string, context: SecretContext): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw new TypeError(
        `The secret in ${context.table}.${context.field} is not JSON; it was written with encrypt, not encryptJson`,
      );
    }
  }

  return {
    encrypt,
    decrypt,
    encryptJson(value, context) {
      return encrypt(JSON.stringify(value), context);
    },
    async decryptJson<T>(ciphertext: string, context: SecretContext): Promise<T> {
      const known = openKnown(ciphertext, context);
      return parseJson(known !== unknownKey ? known : await decrypt(ciphertext, context), context) as T;
    },
    decryptJsonNow(ciphertext: string, context: SecretContext): unknown {
      const known = openKnown(ciphertext, context);
      // JSON never parses to undefined, so undefined says only that the key is not loaded here yet.
      return known === unknownKey ? undefined : parseJson(known, context);
    },
    keyIdOf(ciphertext) {
      const parsed = parseCiphertext(ciphertext);
      if (!parsed) throw new HitchError('decryption_failed', { message: 'This value is not a Hitch ciphertext.' });
      return parsed.keyId;
    },
    currentKeyId: () => ring.currentId,
    masterKeyId: () => ring.masterKeyId,
    dataKeys: () => ring.list(),
    rotateDataKey: () => ring.rotate(),
    rewrapDataKeys: () => ring.rewrap(),
    reload: () => ring.reload(),
    close() {
      if (timer) clearInterval(timer);
    },
  };
}

/** The vault as `main.ts` and the CLI open it: master keys from the configuration, wiped from memory once held by the vault. */
export async function openVault(
  config: Pick<Config, 'masterKey' | 'previousMasterKeys'>,
  store: Store,
  options: { log?: Logger; reloadIntervalMs?: number } = {},
): Promise<Vault & VaultAdmin> {
  const masterKey = loadMasterKey(config);
  const previousMasterKeys = loadPreviousMasterKeys(config);
  try {
    return await createVault({ store, masterKey, previousMasterKeys, ...options });
  } finally {
    zeroize(masterKey);
    for (const key of previousMasterKeys) zeroize(key);
  }
}
