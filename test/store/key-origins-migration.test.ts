import type { ColumnType, Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/ids.ts';
import { openOld, type OldStore } from '../helpers/old-store.ts';

/**
 * Security II §1: migration 0004 gives every existing apiKey, basic and
 * certificate key the origins its scenarios' modules call today (and nothing
 * else), on a database built as 0003 left it.
 */

/** The tables this test writes, as 0003 left them; `origins` is 0004's, read only. */
interface OldDatabase {
  teams: { id: string; name: string; created_at: number };
  keys: {
    id: string;
    team_id: string;
    name: string;
    type: string;
    parameters: string;
    secrets_enc: string | null;
    fingerprint: string | null;
    created_by: string | null;
    created_at: number;
    updated_at: number;
    origins: ColumnType<string, never, never>;
  };
  scenarios: {
    id: string;
    team_id: string;
    name: string;
    active: number;
    interval_minutes: number | null;
    modules: string;
    paused_reason: string | null;
    next_run_at: number | null;
    created_by: string | null;
    created_at: number;
    updated_at: number;
  };
}

describe.each(['sqlite', 'postgres'] as const)('migration 0004-key-origins on %s', (dialect) => {
  let old: OldStore | undefined;
  afterEach(async () => {
    await old?.destroy();
    old = undefined;
  });

  it('gives existing keys the origins their scenarios call, and no other', async () => {
    old = await openOld(dialect);
    await old.migrateTo('0003-notices-webhooks');
    const now = Date.now();
    const db = old.store.db as unknown as Kysely<OldDatabase>;
    const teamA = newId(now);
    const teamB = newId(now + 1);
    await db
      .insertInto('teams')
      .values([
        { id: teamA, name: 'A', created_at: now },
        { id: teamB, name: 'B', created_at: now },
      ])
      .execute();
    const key = async (team: string, type: string) => {
      const id = newId(Date.now());
      await db
        .insertInto('keys')
        .values({
          id,
          team_id: team,
          name: `${type} ${id}`,
          type,
          parameters: '{}',
          secrets_enc: null,
          fingerprint: null,
          created_by: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      return id;
    };
    const scenario = async (team: string, modules: unknown) => {
      await db
        .insertInto('scenarios')
        .values({
          id: newId(Date.now()),
          team_id: team,
          name: 's',
          active: 0,
          interval_minutes: null,
          modules: typeof modules === 'string' ? modules : JSON.stringify(modules),
          paused_reason: null,
          next_run_at: null,
          created_by: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    };

    const apiKey = await key(teamA, 'apiKey');
    const basic = await key(teamA, 'basic');
    const certificate = await key(teamA, 'certificate');
    const unused = await key(teamA, 'basic');
    const aes = await key(teamA, 'aes');

    await scenario(teamA, [
      {
        id: 1,
        app: 'http',
        module: 'make-api-key-auth-request',
        keyId: apiKey,
        inputs: { url: 'https://api.example.com/v1/items?page=1' },
      },
      {
        id: 2,
        app: 'http',
        module: 'make-api-key-auth-request',
        keyId: apiKey,
        inputs: { url: 'https://API.Example.com:443/other/{{1.body.id}}' },
      },
      {
        id: 3,
        app: 'http',
        module: 'make-basic-auth-request',
        keyId: basic,
        inputs: { url: 'http://127.0.0.1:8080/things' },
      },
      // Mapped or templated hosts decide nothing yet: no origin from them.
      {
        id: 4,
        app: 'http',
        module: 'make-client-certificate-request',
        keyId: certificate,
        inputs: { url: '{{1.body.next}}' },
      },
      {
        id: 5,
        app: 'http',
        module: 'make-client-certificate-request',
        keyId: certificate,
        inputs: { url: 'https://{{1.body.host}}/x' },
      },
      {
        id: 6,
        app: 'encryptor',
        module: 'aes-encrypt',
        keyId: aes,
        inputs: { url: 'https://not-sent.example.com', data: 'x' },
      },
    ]);
    await scenario(teamA, [
      {
        id: 1,
        app: 'http',
        module: 'make-basic-auth-request',
        keyId: basic,
        inputs: { url: 'https://basic.example.org/login' },
      },
    ]);
    await scenario(teamA, 'not json at all');
    await scenario(teamA, { not: 'a list' });
    await scenario(teamA, [null, 5, { keyId: basic }, { keyId: basic, inputs: { url: 42 } }]);
    // Another team's scenario naming this key's id is no reason to send it anywhere.
    await scenario(teamB, [
      {
        id: 1,
        app: 'http',
        module: 'make-api-key-auth-request',
        keyId: apiKey,
        inputs: { url: 'https://evil.example.net/collect' },
      },
    ]);

    await old.migrateTo();

    const rows = await db.selectFrom('keys').select(['id', 'origins']).execute();
    const originsOf = (id: string) => JSON.parse(rows.find((r) => r.id === id)!.origins) as string[];
    expect(originsOf(apiKey)).toEqual(['https://api.example.com']);
    expect(originsOf(basic)).toEqual(['http://127.0.0.1:8080', 'https://basic.example.org']);
    expect(originsOf(certificate)).toEqual([]);
    expect(originsOf(unused)).toEqual([]);
    expect(originsOf(aes)).toEqual([]);

    // A key added afterwards starts with none until it is given some.
    const later = newId(Date.now());
    await db
      .insertInto('keys')
      .values({
        id: later,
        team_id: teamA,
        name: 'later',
        type: 'apiKey',
        parameters: '{}',
        secrets_enc: null,
        fingerprint: null,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    expect(
      JSON.parse(
        (await db.selectFrom('keys').select('origins').where('id', '=', later).executeTakeFirstOrThrow()).origins,
      ),
    ).toEqual([]);
  });

  it('migrates a database with no keys at all', async () => {
    old = await openOld(dialect);
    await old.migrateTo('0003-notices-webhooks');
    await old.migrateTo();
    const db = old.store.db as unknown as Kysely<OldDatabase>;
    expect(await db.selectFrom('keys').select('origins').execute()).toEqual([]);
  });
});
