import { requireChangeRight, type Caller } from '../connections/change-rights.ts';
import { HitchError, invalidField } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Audit } from '../scenarios/audit.ts';
import type { UsesRepository } from '../store/repositories/scenario-uses.ts';
import type { KeyRow } from '../store/schema.ts';
import type { Vault } from '../vault/types.ts';
import { checkKeyMaterial, KEY_FIELDS } from './material.ts';
import { checkKeyOrigins } from './origins.ts';
import type { KeysRepository } from '../store/repositories/keys.ts';
import { isKeyType, KEY_TYPES, keySecretContext, type KeyType, type KeyView, type UsableKey } from './types.ts';

export const KEY_NAME_MAX = 128;
const LIST_LIMIT_MAX = 100;

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim().length < 1 || name.trim().length > KEY_NAME_MAX)
    throw invalidField('name', `The name must be 1 to ${KEY_NAME_MAX} characters long.`);
  return name.trim();
}

const notFound = () => new HitchError('not_found', { message: 'There is no such key in your teams.' });

/**
 * The keychain: secrets the generic modules use. A key is verified as far as its
 * type allows, has no renewal, and editing it changes what every module using it
 * sends, since modules read it at run time.
 */
export class KeysService {
  constructor(private readonly deps: { keys: KeysRepository; uses: UsesRepository; vault: Vault; audit: Audit }) {}

  private async present(rows: KeyRow[]): Promise<KeyView[]> {
    const usage = await this.deps.uses.usedBy(
      'key',
      rows.map((r) => r.id),
    );
    return rows.map((row) => ({
      id: row.id,
      teamId: row.team_id,
      name: row.name,
      type: row.type as KeyType,
      parameters: JSON.parse(row.parameters) as Record<string, string>,
      fingerprint: row.fingerprint,
      origins: JSON.parse(row.origins) as string[],
      usedBy: usage.get(row.id) ?? [],
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    }));
  }

  async find(caller: Caller, id: string): Promise<KeyRow> {
    const row = await this.deps.keys.byIdInTeams(id, caller.teamIds);
    if (!row) throw notFound();
    return row;
  }

  async get(caller: Caller, id: string): Promise<KeyView> {
    const [view] = await this.present([await this.find(caller, id)]);
    return view!;
  }

  async list(filter: {
    teamIds: string[];
    type?: string;
    cursor?: string;
    limit?: number;
  }): Promise<{ items: KeyView[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), LIST_LIMIT_MAX);
    const rows = await this.deps.keys.list({
      teamIds: filter.teamIds,
      ...(filter.type ? { type: filter.type } : {}),
      ...(filter.cursor ? { after: filter.cursor } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return { items: await this.present(page), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  async create(
    caller: Caller,
    input: { teamId: string; name: unknown; type: unknown; parameters?: unknown; origins?: unknown },
  ): Promise<KeyView> {
    if (!isKeyType(input.type)) throw invalidField('type', `type must be one of: ${KEY_TYPES.join(', ')}.`);
    const name = checkName(input.name);
    const origins = checkKeyOrigins(input.type, input.origins);
    const material = await checkKeyMaterial(input.type, input.parameters);
    const now = Date.now();
    const id = newId(now);
    await this.deps.keys.insert({
      id,
      team_id: input.teamId,
      name,
      type: input.type,
      parameters: JSON.stringify(material.parameters),
      secrets_enc: Object.keys(material.secrets).length
        ? this.deps.vault.encryptJson(material.secrets, keySecretContext(id))
        : null,
      fingerprint: material.fingerprint,
      origins: JSON.stringify(origins),
      created_by: caller.userId,
      created_at: now,
      updated_at: now,
    });
    await this.deps.audit.record(
      input.teamId,
      'key.created',
      { userId: caller.userId },
      `Key "${name}" (${input.type}) was added to the keychain.`,
    );
    return this.get(caller, id);
  }

  /**
   * Renames a key, changes its parameters, or its origins. New origins send the
   * secret somewhere new, so they need every secret of the key entered again.
   */
  async update(
    caller: Caller,
    id: string,
    input: { name?: unknown; parameters?: unknown; origins?: unknown },
  ): Promise<KeyView> {
    const row = await this.find(caller, id);
    requireChangeRight(caller, row, 'key');
    const type = row.type as KeyType;
    const changes: {
      name?: string;
      parameters?: string;
      secrets_enc?: string | null;
      fingerprint?: string | null;
      origins?: string;
      updated_at: number;
    } = { updated_at: Date.now() };
    if (input.name !== undefined) changes.name = checkName(input.name);
    // Decrypted only when the secrets take part: a rename reads nothing secret.
    const current = input.origins !== undefined || input.parameters !== undefined ? await this.secretsOf(row) : {};
    if (input.origins !== undefined) {
      const origins = checkKeyOrigins(type, input.origins);
      const before = new Set(JSON.parse(row.origins) as string[]);
      if (origins.some((o) => !before.has(o))) requireSecretsAgain(type, current, input.parameters);
      changes.origins = JSON.stringify(origins);
    }
    if (input.parameters !== undefined) {
      const material = await checkKeyMaterial(type, input.parameters, {
        parameters: JSON.parse(row.parameters) as Record<string, string>,
        secrets: current,
      });
      changes.parameters = JSON.stringify(material.parameters);
      changes.secrets_enc = Object.keys(material.secrets).length
        ? this.deps.vault.encryptJson(material.secrets, keySecretContext(id))
        : null;
      changes.fingerprint = material.fingerprint;
    }
    await this.deps.keys.update(id, changes);
    const what =
      [
        input.parameters !== undefined ? 'its parameters were changed' : '',
        input.origins !== undefined ? 'its origins were changed' : '',
      ]
        .filter(Boolean)
        .join(' and ') || 'it was renamed';
    await this.deps.audit.record(
      row.team_id,
      'key.updated',
      { userId: caller.userId },
      `Key "${changes.name ?? row.name}" was edited: ${what}.`,
    );
    return this.get(caller, id);
  }

  async delete(caller: Caller, id: string, options: { confirmed: boolean }): Promise<void> {
    const row = await this.find(caller, id);
    requireChangeRight(caller, row, 'key');
    const usage = (await this.deps.uses.usedBy('key', [id])).get(id) ?? [];
    if (usage.length > 0 && !options.confirmed) {
      throw new HitchError('key_in_use', {
        message: `This key is used by ${usage.length} scenario${usage.length === 1 ? '' : 's'}: confirm to delete it anyway, or choose another key in them first.`,
        details: { scenarios: usage },
      });
    }
    await this.deps.keys.delete(id);
    await this.deps.audit.record(
      row.team_id,
      'key.deleted',
      { userId: caller.userId },
      `Key "${row.name}" was deleted from the keychain.`,
    );
  }

  /** The key with its secrets, for a module about to use it; the team must own it. */
  async usable(teamId: string, id: string): Promise<UsableKey | undefined> {
    const row = await this.deps.keys.byIdInTeams(id, [teamId]);
    if (!row) return undefined;
    return {
      id: row.id,
      type: row.type as KeyType,
      origins: JSON.parse(row.origins) as string[],
      parameters: JSON.parse(row.parameters) as Record<string, string>,
      secrets: await this.secretsOf(row),
    };
  }

  /** Type and team of a key, for validating a scenario without decrypting anything. */
  async describe(teamId: string, id: string): Promise<{ type: KeyType; name: string } | undefined> {
    const row = await this.deps.keys.byIdInTeams(id, [teamId]);
    return row ? { type: row.type as KeyType, name: row.name } : undefined;
  }

  private async secretsOf(row: KeyRow): Promise<Record<string, string>> {
    return row.secrets_enc
      ? this.deps.vault.decryptJson<Record<string, string>>(row.secrets_enc, keySecretContext(row.id))
      : {};
  }
}

/** Every secret the key holds must come again with new origins, so only its owner can move it. */
function requireSecretsAgain(type: KeyType, held: Record<string, string>, given: unknown): void {
  const sent = given && typeof given === 'object' && !Array.isArray(given) ? (given as Record<string, unknown>) : {};
  const missing = KEY_FIELDS[type].filter(
    (f) => f.secret && held[f.name] !== undefined && (typeof sent[f.name] !== 'string' || sent[f.name] === ''),
  );
  if (missing.length === 0) return;
  throw new HitchError('secrets_required', {
    message: `New origins send this key somewhere new: enter ${missing.map((f) => f.name).join(' and ')} again in the same request.`,
    details: { field: `parameters.${missing[0]!.name}`, fields: missing.map((f) => `parameters.${f.name}`) },
  });
}
