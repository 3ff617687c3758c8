import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSharedOAuthServer } from '../connections/harness.ts';
import { dialects } from '../helpers/store.ts';
import type { OAuthServer } from '../peers/oauth-server.ts';
import {
  openScenarioWorld,
  expectForbidden,
  scopedApp,
  teamMates,
  type ScenarioWorld,
  type TeamMates,
} from '../scenarios/world.ts';

/**
 * Who may change a key of the keychain, as for a connection: its creator and the team's owners and
 * admins edit and delete it; any other member may see it and use it in scenarios. A refused change
 * is a 403 with a sentence, and writes nothing.
 */
describe.each(dialects)('who may change a key on $name', ({ open }) => {
  let server: OAuthServer;
  let w: ScenarioWorld;
  let people: TeamMates;

  beforeAll(async () => {
    server = await startSharedOAuthServer();
    w = await openScenarioWorld(open, { server, app: scopedApp(server, 'http://127.0.0.1:9') });
    people = await teamMates(w);
  });
  afterAll(async () => {
    await w.close();
    await server.close();
  });

  /** An API key only https://api.example.com receives, created by `who` (the team's owner when absent). */
  async function keyOf(who: { headers: Record<string, string> } | undefined, name: string): Promise<string> {
    const created = await w.api(
      'POST',
      '/api/v1/keys',
      {
        name,
        type: 'apiKey',
        parameters: { key: `sk_${name}_0123456789`, placement: 'header', parameterName: 'X-Api-Key' },
        origins: ['https://api.example.com'],
      },
      who?.headers,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as string;
  }

  const rename = (id: string, who: { headers: Record<string, string> } | undefined, name: string) =>
    w.api('PATCH', `/api/v1/keys/${id}`, { name }, who?.headers);
  const replaceSecret = (id: string, who: { headers: Record<string, string> }) =>
    w.api('PATCH', `/api/v1/keys/${id}`, { parameters: { key: 'sk_swapped_0123456789' } }, who.headers);
  const remove = (id: string, who: { headers: Record<string, string> } | undefined) =>
    w.api('DELETE', `/api/v1/keys/${id}?confirmed=true`, undefined, who?.headers);

  /** Everything a refused change could have touched: the key's row and the team's audit trail. */
  async function snapshot(id: string) {
    const row = await w.store.db.selectFrom('keys').selectAll().where('id', '=', id).executeTakeFirst();
    const audit = await w.store.db.selectFrom('events').select('id').where('type', 'like', 'key.%').execute();
    return { row, audit: audit.length };
  }

  it("refuses another member's rename, new secret and deletion, and writes nothing", async () => {
    const id = await keyOf(undefined, 'owners');
    const before = await snapshot(id);
    for (const res of [
      await rename(id, people.other, 'taken over'),
      await replaceSecret(id, people.other),
      await remove(id, people.other),
    ])
      expectForbidden(res, /person who created this key, or an owner or admin of its team.*use it in scenarios/);
    expect(await snapshot(id)).toEqual(before);
    // Seeing it is still every member's.
    const seen = await w.api('GET', `/api/v1/keys/${id}`, undefined, people.other.headers);
    expect(seen.status).toBe(200);
    expect(seen.body.name).toBe('owners');
  });

  it('lets the creator change and delete their own key', async () => {
    const id = await keyOf(people.member, 'members');
    const renamed = await rename(id, people.member, 'members, renamed');
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.name).toBe('members, renamed');
    expect((await replaceSecret(id, people.member)).status).toBe(200);
    expect((await remove(id, people.member)).status).toBe(204);
    expect((await snapshot(id)).row).toBeUndefined();
  });

  it("lets the team's owners and admins change and delete any member's key", async () => {
    const id = await keyOf(people.member, 'for the admin');
    const renamed = await rename(id, people.admin, 'renamed by the admin');
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect((await rename(id, undefined, 'renamed by the owner')).status).toBe(200);
    expectForbidden(await rename(id, people.other, 'not by another member'), /created this key/);
    expect((await remove(id, people.admin)).status).toBe(204);
  });

  it('leaves a key with no recorded creator to the owners and admins', async () => {
    const id = await keyOf(people.member, 'no creator');
    await w.store.db.updateTable('keys').set({ created_by: null }).where('id', '=', id).execute();
    const before = await snapshot(id);
    expectForbidden(
      await rename(id, people.member, 'mine, I thought'),
      /^Only an owner or admin of the team can change this key/,
    );
    expect(await snapshot(id)).toEqual(before);
    expect((await rename(id, people.admin, 'kept by the admin')).status).toBe(200);
  });
});
