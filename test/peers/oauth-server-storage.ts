import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

/**
 * Storage for one test authorization server.
 *
 * oidc-provider's bundled memory adapter keeps every provider's data in one
 * module-wide LRU of 1,000 entries: servers in the same process would share it, and a
 * busy test would see grants evicted ("grant not found") for no reason a real server
 * has. This one is a plain map per server, with expiry.
 */
export class OAuthServerStorage {
  readonly #entries = new Map<string, { payload: AdapterPayload; expiresAtMs: number | undefined }>();
  /** grantId → keys of the tokens issued under it, so a grant can be revoked whole. */
  readonly #grantKeys = new Map<string, Set<string>>();

  readonly adapterFactory: AdapterFactory = (model: string): Adapter => {
    const key = (id: string): string => `${model}:${id}`;
    return {
      upsert: async (id, payload, expiresIn) => {
        this.#set(key(id), payload, expiresIn);
        if (model === 'Session' && typeof payload.uid === 'string') {
          this.#set(`SessionUid:${payload.uid}`, { jti: id }, expiresIn);
        }
        if (typeof payload.userCode === 'string') {
          this.#set(`UserCode:${payload.userCode}`, { jti: id }, expiresIn);
        }
        if (typeof payload.grantId === 'string' && GRANTABLE.has(model)) {
          const keys = this.#grantKeys.get(payload.grantId) ?? new Set<string>();
          keys.add(key(id));
          this.#grantKeys.set(payload.grantId, keys);
        }
      },
      find: async (id) => this.#get(key(id)),
      findByUid: async (uid) => {
        const ref = this.#get(`SessionUid:${uid}`);
        return ref?.jti === undefined ? undefined : this.#get(key(ref.jti));
      },
      findByUserCode: async (userCode) => {
        const ref = this.#get(`UserCode:${userCode}`);
        return ref?.jti === undefined ? undefined : this.#get(key(ref.jti));
      },
      consume: async (id) => {
        const entry = this.#get(key(id));
        if (entry) entry.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => {
        this.#entries.delete(key(id));
      },
      revokeByGrantId: async (grantId) => this.revokeGrantTokens(grantId),
    };
  };

  /** Deletes every token issued under the grant (access, refresh, codes). */
  revokeGrantTokens(grantId: string): void {
    for (const k of this.#grantKeys.get(grantId) ?? []) this.#entries.delete(k);
    this.#grantKeys.delete(grantId);
  }

  /** Writes a record directly, e.g. a client whose metadata a test changes later. */
  put(model: string, id: string, payload: AdapterPayload): void {
    this.#set(`${model}:${id}`, payload, undefined);
  }

  #set(k: string, payload: AdapterPayload, expiresInSeconds: number | undefined): void {
    this.#entries.set(k, {
      payload,
      expiresAtMs: expiresInSeconds ? Date.now() + expiresInSeconds * 1000 : undefined,
    });
  }

  #get(k: string): AdapterPayload | undefined {
    const entry = this.#entries.get(k);
    if (!entry) return undefined;
    if (entry.expiresAtMs !== undefined && entry.expiresAtMs <= Date.now()) {
      this.#entries.delete(k);
      return undefined;
    }
    return entry.payload;
  }
}

const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);
