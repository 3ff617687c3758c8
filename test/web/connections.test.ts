import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chooseApp, consentAtService, openWebWorld, screenshot, signIn, type WebWorld } from './harness.ts';
import { maybe } from '../helpers/maybe.ts';

// The scenarios API is not there yet: the seed's flow starts from Connections' Add connection.
let world: WebWorld;
beforeAll(async () => {
  world = await openWebWorld();
}, 60_000);
afterAll(async () => maybe(world)?.close());

async function openAddDialog(page: Page) {
  await page.getByRole('link', { name: 'Connections' }).click();
  await page.getByRole('button', { name: 'Add connection' }).click();
  await chooseApp(page, 'Add a connection', 'Test IdP');
  return page.getByRole('dialog', { name: 'Create a connection to Test IdP' });
}

/** A connection's row, found by the name in its row header (the detail row below it does not count). */
function rowOf(page: Page, name: RegExp) {
  return page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
}

async function deleteAll(page: Page) {
  await page.getByRole('link', { name: 'Connections' }).click();
  await page.getByRole('heading', { name: 'Connections' }).waitFor();
  const rows = page.getByRole('button', { name: 'Delete', exact: true });
  while ((await rows.count()) > 0) {
    await rows.first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  }
}

// Real browser, real servers, two cores: a flow takes seconds, not milliseconds.
describe('the web app, in Chromium, against a real OAuth server', { timeout: 120_000 }, () => {
  it('signs in, adds a connection through the consent popup, then manages it', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await page.goto('/');
    await screenshot(page, '01-sign-in');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/\.$/);
    await signIn(page);
    await screenshot(page, '02-scenarios');

    await page.getByRole('link', { name: 'Connections' }).click();
    await expect.poll(() => page.getByText('has no connections yet').count()).toBe(1);
    await screenshot(page, '03-connections-empty');

    const dialog = await openAddDialog(page);
    await expect.poll(() => dialog.getByLabel('Connection name').inputValue()).toBe('My Test IdP connection');
    await dialog.getByLabel('Show advanced settings').check();
    await expect.poll(() => dialog.getByLabel('Client ID').count()).toBe(1);
    await expect.poll(() => dialog.getByLabel('Client Secret').count()).toBe(1);
    expect(await dialog.getByLabel('Redirect URI').inputValue()).toBe(`${world.url}/oauth/callback`);
    await screenshot(page, '04-add-dialog');

    const popupOpened = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const popup = await popupOpened;
    await popup.getByLabel('Email').waitFor();
    await screenshot(popup, '05-service-sign-in');
    await consentAtService(popup, 'Authorize', '06-service-consent');

    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'The connection is established.' }).count())
      .toBe(1);
    const row = rowOf(page, /My Test IdP connection/);
    await expect.poll(() => row.textContent()).toContain('alice@example.com');
    expect(await row.textContent()).toContain('active');
    await screenshot(page, '07-connections-listed');

    await row.getByRole('button', { name: 'Permissions' }).click();
    const permissions = page.getByRole('region', { name: 'Permissions of My Test IdP connection' });
    await expect.poll(() => permissions.textContent()).toContain('Know who you are');
    await screenshot(page, '08-permissions');

    await row.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.getByText(/Verified: the connection works as alice@example.com\./).count()).toBe(1);

    await row.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('New name').fill('Throwaway');
    await page.getByLabel('New name').press('Escape');
    await expect.poll(() => rowOf(page, /My Test IdP connection/).count()).toBe(1);
    await rowOf(page, /My Test IdP connection/)
      .getByRole('button', { name: 'Rename' })
      .click();
    await page.getByLabel('New name').fill('Alice at Test IdP');
    await page.getByLabel('New name').press('Enter');
    const renamed = rowOf(page, /Alice at Test IdP/);
    await renamed.waitFor();
    await screenshot(page, '09-renamed');

    const reauthPopup = page.waitForEvent('popup');
    await renamed.getByRole('button', { name: 'Reauthorize', exact: true }).click();
    // The service remembers this browser's sign-in and consent: the popup goes straight back.
    await reauthPopup;
    await expect.poll(() => page.getByText('The connection was reauthorized.').count()).toBe(1);

    await renamed.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete Alice at Test IdP?' });
    await expect.poll(() => confirm.textContent()).toContain('No scenario uses this connection');
    await screenshot(page, '10-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByText('The connection Alice at Test IdP was deleted.').count()).toBe(1);
    await expect.poll(() => rowOf(page, /Alice at Test IdP/).count()).toBe(0);
    await context.close();
  });

  it('runs the Add dialog with the keyboard alone', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await signIn(page);
    await deleteAll(page);
    await page.getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('button', { name: 'Add connection' }).focus();
    await page.keyboard.press('Enter');
    const chooser = page.getByRole('dialog', { name: 'Add a connection' });
    await chooser.waitFor();
    // Escape closes a dialog; Enter opens it again.
    await page.keyboard.press('Escape');
    await chooser.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Add connection' }).focus();
    await page.keyboard.press('Enter');
    await chooser.waitFor();
    // Focus starts in the picker's search; typing narrows the apps, Enter chooses the first.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
    await page.keyboard.type('Test IdP');
    await expect.poll(() => chooser.getByRole('option', { selected: true }).textContent()).toContain('Test IdP');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create a connection to Test IdP' });
    await dialog.waitFor();
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value))
      .toBe('My Test IdP connection');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect.poll(() => dialog.getByLabel('Client ID').count()).toBe(1);
    await page.keyboard.press('Shift+Tab');
    const popupOpened = page.waitForEvent('popup');
    await page.keyboard.press('Enter');
    const popup = await popupOpened;
    await popup.getByLabel('Email').waitFor();
    await popup.getByLabel('Email').fill('alice@example.com');
    await popup.keyboard.press('Tab');
    await popup.keyboard.type('password');
    await popup.keyboard.press('Enter');
    await popup.getByRole('button', { name: 'Authorize' }).focus();
    await popup.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await rowOf(page, /My Test IdP connection/).waitFor();
    await deleteAll(page);
    await context.close();
  });

  it('keeps the dialog open with the service’s reason when authorization is denied, and lets the person try again', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await signIn(page);
    await deleteAll(page);
    const dialog = await openAddDialog(page);
    let popupOpened = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Save' }).click();
    let popup = await popupOpened;
    await popup.getByLabel('Email').waitFor();
    await consentAtService(popup, 'Deny');
    const alert = dialog.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/^Access was not granted at the service: .+/);
    await screenshot(page, '11-denied');

    popupOpened = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Save' }).click();
    popup = await popupOpened;
    await popup.getByLabel('Email').waitFor();
    await consentAtService(popup);
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => rowOf(page, /My Test IdP connection/).count()).toBe(1);
    await deleteAll(page);
    await context.close();
  });

  it('goes to the service in the same tab when popups are blocked, and comes back', async () => {
    const context = await world.context({ blockPopups: true });
    const page = await context.newPage();
    await signIn(page);
    await deleteAll(page);
    const dialog = await openAddDialog(page);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL((url) => url.origin === world.oauth.issuer);
    await consentAtService(page);
    await page.waitForURL(`${world.url}/connections`);
    await expect.poll(() => page.getByText('The connection is established.').count()).toBe(1);
    await rowOf(page, /My Test IdP connection/).waitFor();
    await screenshot(page, '12-same-tab-back');
    await deleteAll(page);
    await context.close();
  });
});
