import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { BENCH_PG_URL, openBenchWorld, startTokenEndpoint } from './world.ts';
import { interleavedOpsPerSecond, round, type BenchContext, type Figure } from './figures.ts';

/**
 * Getting usable credentials for a connection whose token is valid, against the
 * floor: a raw point read of the row plus one AES-256-GCM decryption and a JSON
 * parse, measured in the same run on the same database.
 */
export async function tokenPath(ctx: BenchContext, kind: 'sqlite' | 'postgres'): Promise<Figure[]> {
  const ms = ctx.size === 'tiny' ? 50 : ctx.size === 'quick' ? 1500 : 4000;
  const endpoint = await startTokenEndpoint();
  const miss = await openBenchWorld(kind, endpoint.url, { cacheSize: 0 });
  const hit = await openBenchWorld(kind, endpoint.url, { cacheSize: 10_000 });
  try {
    const [missId] = await miss.seed(1, { app: 'bench' });
    const [hitId] = await hit.seed(1, { app: 'bench' });

    // The floor's own cipher work: same algorithm, a plaintext of the same size as a stored token set.
    const key = randomBytes(32);
    const nonce = randomBytes(12);
    const plaintext = Buffer.from(
      JSON.stringify({
        accessToken: 'x'.repeat(40),
        refreshToken: 'y'.repeat(40),
        tokenType: 'bearer',
        parameters: {},
      }),
    );
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from('connections/secrets'));
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const tag = cipher.getAuthTag();
    const decryptAndParse = () => {
      const d = createDecipheriv('aes-256-gcm', key, nonce);
      d.setAAD(Buffer.from('connections/secrets'));
      d.setAuthTag(tag);
      return JSON.parse(Buffer.concat([d.update(sealed), d.final()]).toString('utf8')) as unknown;
    };

    // The floor, the miss and the hit in alternating turns: measured one after the other, the
    // machine's drift between them moved the miss's ratio by a fifth from run to run.
    let floorCall: () => unknown;
    let closeFloor: () => Promise<void>;
    if (kind === 'sqlite') {
      const direct = new SQLite(miss.sqliteFile, { readonly: true });
      const statement = direct.prepare('select secrets_enc, expires_at from connections where id = ?');
      floorCall = () => {
        statement.get(missId);
        return decryptAndParse();
      };
      closeFloor = async () => {
        direct.close();
      };
    } else {
      const client = new pg.Client({ connectionString: BENCH_PG_URL, options: `-c search_path=${miss.pgSchema!}` });
      await client.connect();
      floorCall = async () => {
        await client.query({
          name: 'point',
          text: 'select secrets_enc, expires_at from connections where id = $1',
          values: [missId],
        });
        return decryptAndParse();
      };
      closeFloor = () => client.end();
    }
    let floor: number, missOps: number, hitOps: number;
    try {
      [floor, missOps, hitOps] = (await interleavedOpsPerSecond(
        [floorCall, () => miss.connections.credentials.get(missId!), () => hit.connections.credentials.get(hitId!)],
        ms,
      )) as [number, number, number];
    } finally {
      await closeFloor();
    }
    ctx.log(`token path (${kind}): floor ${round(floor, 0)}/s, miss ${round(missOps, 0)}/s, hit ${round(hitOps, 0)}/s`);
    return [
      {
        name: `token path, cache miss (${kind})`,
        value: round(missOps, 0),
        unit: 'ops/s',
        baseline: round(floor, 0),
        ratio: round(missOps / floor),
        goal: '>= 0.6x floor',
        pass: missOps / floor >= 0.6,
      },
      {
        name: `token path, cache hit (${kind})`,
        value: round(hitOps, 0),
        unit: 'ops/s',
        baseline: round(floor, 0),
        ratio: round(hitOps / floor),
        goal: '>= 5x floor',
        pass: hitOps / floor >= 5,
      },
    ];
  } finally {
    await miss.close();
    await hit.close();
    await endpoint.close();
  }
}
