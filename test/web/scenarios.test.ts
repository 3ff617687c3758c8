import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { consentAtService, openWebWorld, screenshot, signIn, type WebWorld } from './harness.ts';
import { maybe } from '../helpers/maybe.ts';

/**
 * The seed's flow from the scenario editor: a module needing a connection,
 * `Add` asking only for what the scenario needs, Extend permissions on the same
 * connection when a new module needs more, Run; and the keychain.
 */
let world: WebWorld;
beforeAll(async () => {
  world = await openWebWorld();
}, 60_000);
afterAll(async () => maybe(world)?.close());

async function createScenario(page: Page, name: string) {
  await page.getByRole('link', { name: 'Scenarios' }).click();
  await page.getByRole('button', { name: 'Create scenario' }).click();
  await page.getByLabel('Scenario name').fill(name);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

async function addModule(page: Page, app: string, module: string) {
  await page.getByRole('button', { name: 'Add module' }).click();
  const picker = page.getByRole('dialog', { name: 'Add module' });
  await picker.getByRole('combobox').fill(`${app} ${module}`);
  await picker.getByRole('option', { name: `${app}: ${module}`, exact: true }).click();
  await picker.waitFor({ state: 'detached' });
}

/** A module of the editor, found by its heading ("2. Test IdP: Who am I"). */
function moduleCard(page: Page, position: number) {
  return page.getByRole('listitem', { name: new RegExp(`^${position}\\. `) });
}

async function selectedLabel(card: ReturnType<typeof moduleCard>, label: string) {
  return card
    .getByLabel(label, { exact: true })
    .evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');
}

describe('scenarios and keys in the web app, in Chromium', { timeout: 120_000 }, () => {
  it('builds a scenario: Add a connection with only the needed scopes, Extend permissions, Run', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await signIn(page);
    await expect.poll(() => page.getByText('has no scenarios yet').count()).toBe(1);

    await createScenario(page, 'Morning check');
    await expect.poll(() => page.getByText('This scenario has no modules yet').count()).toBe(1);
    await addModule(page, 'Test IdP', 'Who am I');
    const first = moduleCard(page, 1);
    await expect.poll(() => selectedLabel(first, 'Connection')).toBe('No connection yet: Add one');
    await screenshot(page, '20-scenario-module');

    await first.getByRole('button', { name: /^Add/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a connection to Test IdP' });
    await expect.poll(() => dialog.getByLabel('Connection name').inputValue()).toBe('My Test IdP connection');
    await dialog.getByLabel('Show advanced settings').check();
    await expect.poll(() => dialog.getByLabel('Client ID').count()).toBe(1);
    await screenshot(page, '21-scenario-add-connection');
    const popupOpened = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const popup = await popupOpened;
    await consentAtService(popup, 'Authorize', '22-scenario-consent-read');

    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'The connection is established.' }).count())
      .toBe(1);
    await expect.poll(() => selectedLabel(first, 'Connection')).toBe('My Test IdP connection (alice@example.com)');
    // Least privilege: the scenario's module needs `read`, so that (and the app's base scopes) is all that was asked.
    const listed = (await (await page.request.get('/api/v1/connections')).json()) as {
      items: Array<{ id: string; scopes: string[]; usedBy: unknown[] }>;
    };
    expect(listed.items).toHaveLength(1);
    const connection = listed.items[0]!;
    expect([...connection.scopes].sort()).toEqual(['email', 'openid', 'read']);
    expect(connection.usedBy).toHaveLength(1);
    await screenshot(page, '23-scenario-connection-selected');

    // A second module needing `write`: the same connection is chosen, and it lacks that.
    await addModule(page, 'Test IdP', 'Who am I, before writing');
    const second = moduleCard(page, 2);
    await expect.poll(() => selectedLabel(second, 'Connection')).toBe('My Test IdP connection (alice@example.com)');
    await second.getByLabel('Note').fill('hello');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByText('The scenario is saved.').count()).toBe(1);
    // The endpoint grant: both modules call the same endpoint, and nothing else is granted.
    const endpoints = page.getByRole('group', { name: 'Endpoints of My Test IdP connection' });
    await expect.poll(() => endpoints.getByRole('listitem').allTextContents()).toEqual(['GET /me (modules 1, 2)']);
    const missing = page.getByRole('note', { name: 'Missing permissions of module 2' });
    await expect.poll(() => missing.textContent()).toContain('Change your data');
    // Module 1 needs nothing more: the notice stands at the module that asks for `write`.
    expect(await page.getByRole('note', { name: 'Missing permissions of module 1' }).count()).toBe(0);
    await screenshot(page, '24-scenario-missing-permissions');

    const extendPopup = page.waitForEvent('popup');
    await missing.getByRole('button', { name: 'Extend permissions' }).click();
    await consentAtService(await extendPopup, 'Authorize', '25-scenario-consent-write');
    await expect
      .poll(() => second.getByText('The connection now has the permissions this scenario needs.').count())
      .toBe(1);
    await expect.poll(() => missing.count()).toBe(0);
    const after = (await (await page.request.get(`/api/v1/connections/${connection.id}`)).json()) as {
      id: string;
      scopes: string[];
    };
    expect(after.id).toBe(connection.id);
    expect([...after.scopes].sort()).toEqual(['email', 'openid', 'read', 'write']);

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const run = page.getByRole('region', { name: 'Last run' });
    await expect.poll(() => run.getByRole('status').textContent()).toMatch(/^The run succeeded/);
    expect(await run.textContent()).toContain('Module 1 (Who am I) succeeded');
    expect(await run.textContent()).toContain('Module 2 (Who am I, before writing) succeeded');
    expect(await run.textContent()).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/me\?note=hello → 200/);
    await run.getByText('Output of module 1').click();
    await expect.poll(() => run.textContent()).toContain('alice@example.com');
    await screenshot(page, '26-scenario-run');

    // The banner: the grant is gone (as when the service revokes it), and one button brings it back.
    await world.hitch.services.store.db
      .updateTable('connections')
      .set({ status: 'reauthorization_required' })
      .where('id', '=', connection.id)
      .execute();
    await page.reload();
    const banner = page.getByRole('region', { name: 'Needs attention' });
    await expect
      .poll(() => banner.textContent())
      .toContain('"My Test IdP connection" to Test IdP needs reauthorization');
    await screenshot(page, '27-attention-banner');
    const bannerPopup = page.waitForEvent('popup');
    await banner.getByRole('button', { name: 'Reauthorize My Test IdP connection' }).click();
    await bannerPopup;
    await expect.poll(() => banner.getByRole('status').textContent()).toBe('The connection was reauthorized.');
    await expect.poll(() => banner.getByRole('listitem').count()).toBe(0);
    await context.close();
  });

  it('keeps keys: Add from a module’s Key field, edit without showing the secret, delete after naming the scenarios using it', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Keys' }).click();
    await expect.poll(() => page.getByText('has no keys yet').count()).toBe(1);

    await createScenario(page, 'Key user');
    await addModule(page, 'HTTP', 'Make an API Key Auth request');
    const card = moduleCard(page, 1);
    await card.getByRole('button', { name: /^Add/ }).click();
    const add = page.getByRole('dialog', { name: 'Add API key' });
    await add.getByLabel('Key name').fill('Service key');
    await add.getByLabel('API key', { exact: true }).fill('Bearer s3cret-value');
    await add.getByLabel('API key placement').selectOption('header');
    await add.getByLabel('API key parameter name').fill('Authorization');
    await add.getByLabel('Sent only to').fill('https://example.com');
    await screenshot(page, '30-key-add');
    await add.getByRole('button', { name: 'Save' }).click();
    await add.waitFor({ state: 'detached' });
    await expect.poll(() => selectedLabel(card, 'Key')).toBe('Service key');
    await card.getByLabel('URL').fill('https://example.com/things');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByText('The scenario is saved.').count()).toBe(1);

    await page.getByRole('link', { name: 'Keys' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Service key' }) });
    await expect.poll(() => row.textContent()).toContain('header Authorization');
    expect(await row.textContent()).toContain('used in 1 scenario');
    expect(await page.content()).not.toContain('s3cret-value');
    await screenshot(page, '31-keys-listed');

    await row.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Service key' });
    expect(await edit.getByLabel('API key', { exact: true }).inputValue()).toBe('');
    await edit.getByLabel('Key name').fill('Service key (header)');
    await edit.getByLabel('API key parameter name').fill('X-Api-Key');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    const edited = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Service key (header)' }) });
    await expect.poll(() => edited.textContent()).toContain('header X-Api-Key');
    // Saved with the secret field empty: the stored key was kept (an emptied key would be refused as required), and nothing secret comes back.
    const keys = (await (await page.request.get('/api/v1/keys')).json()) as {
      items: Array<{ parameters: Record<string, string> }>;
    };
    expect(keys.items[0]!.parameters).toEqual({ placement: 'header', parameterName: 'X-Api-Key' });

    await edited.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete Service key (header)?' });
    await expect.poll(() => confirm.getByRole('listitem').allTextContents()).toEqual(['Key user']);
    await screenshot(page, '32-key-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByText('The key Service key (header) was deleted.').count()).toBe(1);
    await expect.poll(() => edited.count()).toBe(0);
    await context.close();
  });

  it('adds a module with the keyboard alone: an app, then one of its modules', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await signIn(page);
    await createScenario(page, 'Keyboard only');
    await page.getByRole('button', { name: 'Add module' }).focus();
    await page.keyboard.press('Enter');
    const picker = page.getByRole('dialog', { name: 'Add module' });
    await picker.getByRole('combobox').waitFor();
    await expect
      .poll(() => picker.getByRole('combobox').evaluate((input) => input === document.activeElement))
      .toBe(true);
    await page.keyboard.type('test idp');
    const selected = picker.getByRole('option', { selected: true });
    // The app itself, not one of its modules ("Test IdP: Who am I"), which the search finds too.
    await expect.poll(() => selected.textContent()).toMatch(/Test IdP(?!:)/);
    // Enter on an app with several modules lists them; Backspace in the empty search goes back.
    await page.keyboard.press('Enter');
    await picker.getByRole('combobox', { name: 'Modules of Test IdP' }).waitFor();
    await page.keyboard.press('Backspace');
    const search = picker.getByRole('combobox', { name: 'Choose a module' });
    await search.waitFor();
    // Keys pressed before the search has the focus again would be lost (as under load in CI).
    await expect.poll(() => search.evaluate((input) => input === document.activeElement)).toBe(true);
    await page.keyboard.type('test idp');
    await expect.poll(() => search.inputValue()).toBe('test idp');
    // The app itself, not one of its modules ("Test IdP: Who am I"), which the search finds too.
    await expect.poll(() => selected.textContent()).toMatch(/Test IdP(?!:)/);
    await page.keyboard.press('Enter');
    await picker.getByRole('combobox', { name: 'Modules of Test IdP' }).waitFor();
    await expect.poll(() => selected.textContent()).toBe('Who am I');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => selected.textContent()).toBe('Who am I, before writing');
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    await moduleCard(page, 1)
      .getByRole('heading', { name: /Who am I, before writing/ })
      .waitFor();
    await context.close();
  });
});
