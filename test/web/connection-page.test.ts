import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestConnection, consentAtService, openWebWorld, screenshot, signIn, type WebWorld } from './harness.ts';
import { maybe } from '../helpers/maybe.ts';

/**
 * `/connections/:id`: a connection's story (events newest first, Reauthorize
 * by, the last error and its action) and delete naming the scenarios, with
 * Replace. The test app documents a 90-day absolute grant, so the page has a
 * "Reauthorize by" date to show.
 */
let world: WebWorld;
beforeAll(async () => {
  world = await openWebWorld({
    kind: { grantLifetime: { absoluteDays: 90, docsUrl: 'https://example.com/docs/token-lifetimes' } },
  });
}, 60_000);
afterAll(async () => maybe(world)?.close());

/** A refresh now, as after a 401, that the service refuses once the grant is revoked there. */
async function renewNow(id: string): Promise<void> {
  const credentials = world.hitch.services.connections.credentials;
  credentials.cache.clear();
  const current = await credentials.get(id).catch(() => undefined);
  await credentials.get(id, { staleVersion: current?.version ?? Number.MAX_SAFE_INTEGER }).catch(() => undefined);
}

describe('a connection’s page, in Chromium', { timeout: 150_000 }, () => {
  it('shows events newest first, Reauthorize by and the last error with its action, and the action works', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await signIn(page);
    const id = await addTestConnection(page, 'Alice at Test IdP');

    // The service forgets the grant; Hitch's next refresh hears invalid_grant.
    expect(await world.oauth.revoke('alice')).toBeGreaterThan(0);
    await renewNow(id);

    // The person comes back later: the table reads the connection anew.
    await page.goto('/connections');
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Alice at Test IdP/ }) });
    // Marked in the table as needing attention, and linked to its page.
    await expect.poll(() => row.textContent()).toContain('needs attention');
    await screenshot(page, '50-connections-attention');
    await row.getByRole('link', { name: 'Alice at Test IdP' }).click();
    await page.waitForURL(`${world.url}/connections/${id}`);
    // Served at its own address: a reload (or a shared link) shows the same page.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Alice at Test IdP' }).waitFor();

    await expect.poll(() => page.locator('.facts').first().textContent()).toContain('must reauthorize');
    await expect.poll(() => page.locator('.facts').first().textContent()).toContain('ada@example.com');
    const renewal = page.getByRole('region', { name: 'Access and renewal' });
    await expect.poll(() => renewal.textContent()).toMatch(/Reauthorize by.+refreshing cannot move this date/);
    const lastError = page.getByRole('region', { name: 'Last error' });
    await expect.poll(() => lastError.textContent()).toContain('invalid_grant');
    const events = page.getByRole('list', { name: 'Events, newest first' }).getByRole('listitem');
    await expect.poll(() => events.count()).toBeGreaterThanOrEqual(3);
    const texts = await events.allTextContents();
    const at = (label: string) => texts.findIndex((t) => t.includes(label));
    expect(at('Authorized')).toBeGreaterThan(-1);
    expect(at('Created')).toBeGreaterThan(at('Authorized'));
    expect(at('Reauthorization required')).toBeLessThan(at('Authorized'));
    await screenshot(page, '51-connection-page-error');

    // The action the error calls for, from the page: Reauthorize, through the consent popup.
    const popupOpened = page.waitForEvent('popup');
    await lastError.getByRole('button', { name: 'Reauthorize' }).click();
    await consentAtService(await popupOpened);
    await expect.poll(() => page.getByText('The connection was reauthorized.').count()).toBe(1);
    await expect.poll(() => lastError.count()).toBe(0);
    await expect.poll(() => page.locator('.facts').first().textContent()).toContain('It works');
    await expect.poll(async () => (await events.first().textContent()) ?? '').toContain('Reauthorized');
    await screenshot(page, '52-connection-page');
    await context.close();
  });

  it('deletes from the page naming the scenarios that use it, and Replace moves them to another connection', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await signIn(page);
    const oldId = await addTestConnection(page, 'Old Test IdP');
    const newId = await addTestConnection(page, 'New Test IdP');
    const created = await page.request.post('/api/v1/scenarios', {
      headers: { origin: world.url },
      data: {
        name: 'Morning check',
        modules: [{ id: 1, app: 'testidp', module: 'whoami', connectionId: oldId, inputs: {} }],
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const scenario = (await created.json()) as { id: string };

    await page.goto(`/connections/${oldId}`);
    await page.getByRole('heading', { level: 1, name: 'Old Test IdP' }).waitFor();
    await page
      .getByRole('region', { name: 'Scenarios using it' })
      .getByRole('link', { name: 'Morning check' })
      .waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete Old Test IdP?' });
    await confirm.getByRole('link', { name: 'Morning check' }).waitFor();
    // Any other connection of the same app may take its place (the first test's too): the person picks one.
    await confirm.getByLabel('Move them to').selectOption(newId);
    await screenshot(page, '53-delete-replace');
    await confirm.getByRole('button', { name: 'Replace and delete' }).click();
    await page.waitForURL(`${world.url}/connections`);
    await expect
      .poll(() =>
        page.getByText('The connection Old Test IdP was deleted; its scenarios now use New Test IdP.').count(),
      )
      .toBe(1);
    const moved = (await (await page.request.get(`/api/v1/scenarios/${scenario.id}`)).json()) as {
      modules: Array<{ connectionId?: string }>;
    };
    expect(moved.modules[0]?.connectionId).toBe(newId);
    expect((await page.request.get(`/api/v1/connections/${oldId}`)).status()).toBe(404);
    await context.close();
  });

  it('keeps secrets write-only in Settings, and asks for them again when a destination changes', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await signIn(page);
    const created = await page.request.post('/api/v1/connections', {
      headers: { origin: world.url },
      data: {
        app: 'http',
        auth: 'apiKey',
        name: 'Inventory API',
        parameters: {
          key: 'first-secret-value',
          placement: 'header',
          parameterName: 'X-Key',
          baseUrl: world.oauth.issuer,
        },
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { connection } = (await created.json()) as { connection: { id: string } };

    await page.goto(`/connections/${connection.id}`);
    const settings = page.getByRole('region', { name: 'Settings' });
    await expect.poll(() => settings.getByLabel('Base URL').inputValue()).toBe(world.oauth.issuer);
    expect(await settings.getByLabel('API key').inputValue()).toBe('set');
    await settings.getByRole('button', { name: 'replace' }).waitFor();
    expect(await page.content()).not.toContain('first-secret-value');

    await settings.getByLabel('Base URL').fill(`${world.oauth.issuer}/v2`);
    await settings.getByText('enter its secrets again').waitFor();
    const key = settings.getByLabel('API key');
    expect(await key.inputValue()).toBe('');
    expect(await key.getAttribute('required')).not.toBeNull();
    await screenshot(page, '54-settings-new-destination');
    await key.fill('second-secret-value');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByText('The settings were saved.').waitFor();
    await expect.poll(() => settings.getByLabel('API key').inputValue()).toBe('set');
    const saved = (await (await page.request.get(`/api/v1/connections/${connection.id}`)).json()) as {
      data: Record<string, unknown>;
    };
    expect(saved.data.baseUrl).toBe(`${world.oauth.issuer}/v2`);
    expect(JSON.stringify(saved)).not.toContain('second-secret-value');
    await context.close();
  });
});
