import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { HitchError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/database.ts';
import { DataKeysRepository } from '../store/repositories/data-keys.ts';
import type { DataKeyRow } from '../store/schema.ts';
import { decodeBase64Url, open, seal } from './aes-gcm.ts';
import { masterKeyId } from './master-key.ts';
import { zeroize } from './zeroize.ts';
import type { DataKeyInfo } from './types.ts';

const WRAP_VERSION = 'v1';
const DATA_KEY_BYTES = 32;

interface MasterKey {
  id: string;
  key: KeyObject;
}

/** A wrapped key is bound to its own row, so wrapped keys cannot be swapped between ids. */
function wrapAad(dataKeyId: string): Buffer {
  return Buffer.from(JSON.stringify(['hitch-data-key', WRAP_VERSION, dataKeyId]), 'utf8');
}

function wrap(master: MasterKey, dataKeyId: string, dataKey: Buffer): string {
  const { nonce, sealed } = seal(master.key, dataKey, wrapAad(dataKeyId));
  return `${WRAP_VERSION}.${nonce.toString('base64url')}.${sealed.toString('base64url')}`;
}

function unwrap(master: MasterKey, row: DataKeyRow): KeyObject | null {
  const [version, nonceText, sealedText, extra] = row.wrapped_key.split('.');
  if (version !== WRAP_VERSION || nonceText === undefined || sealedText === undefined || extra !== undefined)
    return null;
  const nonce = decodeBase64Url(nonceText);
  const sealed = decodeBase64Url(sealedText);
  if (!nonce || !sealed) return null;
  const raw = open(master.key, nonce, sealed, wrapAad(row.id));
  if (!raw || raw.length !== DATA_KEY_BYTES) {
    zeroize(raw);
    return null;
  }
  const key = createSecretKey(raw);
  zeroize(raw);
  return key;
}

function unusable(row: DataKeyRow, reason: 'missing' | 'rejected'): HitchError {
  const what =
    reason === 'missing'
      ? `data key ${row.id} is wrapped by master key ${row.master_key_id}, which Hitch was not given`
      : `data key ${row.id} does not open with master key ${row.master_key_id}`;
  return new HitchError('vault_key_unusable', {
    message: `The master key cannot unlock the stored data keys (${what}): set HITCH_MASTER_KEY to the key that was used, or list it in HITCH_PREVIOUS_MASTER_KEYS.`,
    details: { dataKeyId: row.id, masterKeyId: row.master_key_id },
  });
}

/**
 * The data keys, unwrapped once and held in memory as KeyObjects, so
 * decrypting never touches the database for a key it already knows.
 */
export class KeyRing {
  readonly #dataKeys: DataKeysRepository;
  readonly #master: MasterKey;
  readonly #masters: Map<string, MasterKey>;
  readonly #log: Logger | undefined;
  readonly #keys = new Map<string, KeyObject>();
  #currentId = '';
  #reloading: Promise<void> | null = null;

  constructor(store: Store, masterKey: Buffer, previousMasterKeys: Buffer[], log: Logger | undefined) {
    this.#dataKeys = new DataKeysRepository(store.db);
    this.#log = log;
    this.#master = { id: masterKeyId(masterKey), key: createSecretKey(masterKey) };
    this.#masters = new Map([[this.#master.id, this.#master]]);
    for (const previous of previousMasterKeys) {
      const id = masterKeyId(previous);
      if (!this.#masters.has(id)) this.#masters.set(id, { id, key: createSecretKey(previous) });
    }
  }

  get masterKeyId(): string {
    return this.#master.id;
  }

  get currentId(): string {
    return this.#currentId;
  }

  get(id: string): KeyObject | undefined {
    return this.#keys.get(id);
  }

  has(id: string): boolean {
    return this.#keys.has(id);
  }

  /**
   * Start-up: every stored data key must open, or the start stops before
   * anything is written (a new data key next to unreadable ones would hide the
   * misconfiguration until secrets failed one by one).
   */
  async open(): Promise<void> {
    const rows = await this.#rows();
    for (const row of rows) this.#add(row);
    if (rows.length === 0) await this.rotate();
    else this.#currentId = rows[rows.length - 1]!.id;
  }

  /**
   * Running: picks up keys other instances created. A key that does not open is
   * logged and skipped, so one misconfigured instance cannot stop the others'
   * secrets from being read here. Concurrent callers share one query.
   */
  reload(): Promise<void> {
    this.#reloading ??= this.#reload().finally(() => {
      this.#reloading = null;
    });
    return this.#reloading;
  }

  async #reload(): Promise<void> {
    const rows = await this.#rows();
    let newest: string | null = null;
    for (const row of rows) {
      try {
        this.#add(row);
        newest = row.id;
      } catch (error) {
        this.#log?.error(
          { err: error, dataKeyId: row.id, masterKeyId: row.master_key_id },
          'a data key in the database does not open with this instance’s master keys',
        );
      }
    }
    if (newest !== null) this.#currentId = newest;
  }

  /**
   * Creates a data key wrapped by the current master key and makes it current.
   * Its creation time is later than every stored key's, even within one
   * millisecond: instances take the last key in creation order as current, and
   * a tie would leave the choice to the ids' random bits.
   */
  async rotate(): Promise<string> {
    const newest = (await this.#rows()).at(-1);
    const createdAt = Math.max(Date.now(), (newest?.created_at ?? 0) + 1);
    const id = newId(createdAt);
    const raw = randomBytes(DATA_KEY_BYTES);
    try {
      await this.#dataKeys.insert({
        id,
        wrapped_key: wrap(this.#master, id, raw),
        master_key_id: this.#master.id,
        created_at: createdAt,
      });
      this.#keys.set(id, createSecretKey(raw));
    } finally {
      zeroize(raw);
    }
    this.#currentId = id;
    return id;
  }

  /**
   * Wraps every data key under the current master key. Each row changes only
   * if it still holds what was read, so two instances rewrapping at once agree.
   */
  async rewrap(): Promise<number> {
    await this.reload();
    let rewritten = 0;
    for (const row of await this.#rows()) {
      if (row.master_key_id === this.#master.id) continue;
      const key = this.#keys.get(row.id);
      if (!key) throw unusable(row, this.#masters.has(row.master_key_id) ? 'rejected' : 'missing');
      const raw = key.export();
      try {
        if (
          await this.#dataKeys.rewrap(row.id, row.wrapped_key, {
            wrapped_key: wrap(this.#master, row.id, raw),
            master_key_id: this.#master.id,
          })
        )
          rewritten++;
      } finally {
        zeroize(raw);
      }
    }
    return rewritten;
  }

  async list(): Promise<DataKeyInfo[]> {
    const rows = await this.#rows();
    return rows.map((row) => ({
      id: row.id,
      masterKeyId: row.master_key_id,
      createdAt: row.created_at,
      current: row.id === this.#currentId,
      usable: this.#keys.has(row.id),
    }));
  }

  #rows(): Promise<DataKeyRow[]> {
    return this.#dataKeys.all();
  }

  /** Unwraps a row unless already held; a key's bytes never change when it is rewrapped. */
  #add(row: DataKeyRow): void {
    if (this.#keys.has(row.id)) return;
    const master = this.#masters.get(row.master_key_id);
    const key = master ? unwrap(master, row) : null;
    if (key) {
      this.#keys.set(row.id, key);
      return;
    }
    throw unusable(row, master ? 'rejected' : 'missing');
  }
}
