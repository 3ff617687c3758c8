import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseApp, consentAtService, openWebWorld, screenshot, signIn, type WebWorld } from './harness.ts';
import { maybe } from '../helpers/maybe.ts';

/** The generic HTTP app's OAuth 2.0 form as Make's: Scope, the redirect URI to copy, field errors on their field. */
let world: WebWorld;
beforeAll(async () => {
  world = await openWebWorld();
}, 60_000);
afterAll(async () => maybe(world)?.close());

describe('connection forms, in Chromium', { timeout: 120_000 }, () => {
  it('asks the service for the scopes typed into Scope, and the consent shows them', async () => {
    const context = await world.context();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: world.url });
    const page = await context.newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('button', { name: 'Add connection' }).click();
    await chooseApp(page, 'Add a connection', 'HTTP');
    const dialog = page.getByRole('dialog', { name: 'Create a connection to HTTP' });

    // The person registers their own client: the redirect URI is up front, with a copy button.
    expect(await dialog.getByLabel('Redirect URI').inputValue()).toBe(`${world.url}/oauth/callback`);
    await dialog.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => dialog.getByText('Copied.').count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${world.url}/oauth/callback`);

    // The required mark sits beside its label, on the same line.
    const label = dialog.locator('label', { hasText: 'Client ID' });
    const box = (await label.boundingBox())!;
    const mark = (await label.locator('.required').boundingBox())!;
    expect(Math.abs(mark.y - box.y)).toBeLessThan(4);

    // A bad value comes back from the API on the field it concerns.
    await dialog.getByLabel('Authorize URI').fill('ftp://example.com/auth');
    await dialog.getByLabel('Token URI').fill(world.oauth.tokenEndpoint);
    const client = world.oauth.client('client_secret_post');
    await dialog.getByLabel('Client ID').fill(client.clientId);
    await dialog.getByLabel('Client Secret').fill(client.clientSecret);
    await dialog.getByRole('button', { name: 'Save' }).click();
    const authorizeError = dialog.getByLabel('Authorize URI');
    await expect.poll(() => authorizeError.getAttribute('aria-invalid')).toBe('true');
    // Described by its error, so a screen reader says it with the field.
    const errorId = (await authorizeError.getAttribute('aria-describedby'))!.split(' ').at(-1)!;
    expect(await dialog.locator(`[id="${errorId}"]`).textContent()).toMatch(/^Authorize URI .+\.$/);
    await screenshot(page, '30-field-error');

    await dialog.getByLabel('Authorize URI').fill(world.oauth.authorizationEndpoint);
    await dialog.getByLabel('Scope', { exact: true }).fill('openid email read write');
    await screenshot(page, '31-generic-oauth');
    const popupOpened = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const popup = await popupOpened;
    await popup.getByLabel('Email').waitFor();
    await popup.getByLabel('Email', { exact: true }).fill('alice@example.com');
    await popup.getByLabel('Password', { exact: true }).fill('password');
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await popup.getByRole('button', { name: 'Authorize' }).waitFor();
    // oidc-provider's consent lists what the client asked for: the scopes typed into Scope.
    for (const scope of ['email', 'read', 'write'])
      await popup.getByRole('checkbox', { name: scope, exact: true }).waitFor();
    await screenshot(popup, '32-generic-consent');
    await consentAtService(popup);
    await dialog.waitFor({ state: 'detached' });
    const listed = (await (await page.request.get('/api/v1/connections')).json()) as {
      items: Array<{ app: string; scopes: string[] }>;
    };
    const generic = listed.items.find((c) => c.app === 'http');
    expect(generic?.scopes).toEqual(expect.arrayContaining(['read', 'write']));
    await context.close();
  });
});
