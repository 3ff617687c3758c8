/**
 * Every kind of connection of the generic HTTP app through its form, as a person
 * fills it: the required mark beside its label, help under its field, the API's
 * error about a field on that field, then — for the kinds checked at once —
 * the saved connection's secrets shown only as "set — replace", and a changed
 * destination asking for them again. Real peers: a service taking an API key or
 * Basic credentials, a session login service, oidc-provider (client
 * credentials), a JWT bearer token endpoint (RFC 7523) and an OAuth 1.0a
 * service (RFC 5849), whose consent a changed destination goes through again.
 * One server, one browser.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { serviceHandler, startServer, type Accepted } from '../connections/kinds-harness.ts';
import { maybe } from '../helpers/maybe.ts';
import { startJwtBearerServer, type JwtBearerServer } from '../peers/jwt-bearer-server.ts';
import { startOAuth1Provider, type OAuth1Provider } from '../peers/oauth1-provider.ts';
import { startSessionService, type SessionService } from '../peers/session-service.ts';
import { chooseApp, openWebWorld, screenshot, signIn, type WebWorld } from './harness.ts';

const accepted: Accepted = {
  apiKey: 'kind-forms-key-0001',
  trelloKey: '',
  trelloToken: '',
  username: 'ann',
  password: 'kind-forms-password-1',
};
const JWT_ISSUER = 'reports@kind-forms.example';
const jwtKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWT_PEM = jwtKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

let world: WebWorld;
let keyService: Awaited<ReturnType<typeof startServer>>;
let sessions: SessionService;
let jwt: JwtBearerServer;
let oauth1: OAuth1Provider;
let context: BrowserContext;
let page: Page;
beforeAll(async () => {
  [world, keyService, sessions, jwt, oauth1] = await Promise.all([
    openWebWorld(),
    startServer(serviceHandler(accepted, [])),
    startSessionService(),
    startJwtBearerServer(),
    startOAuth1Provider({ consumers: { 'kind-forms-consumer': { secret: 'kind-forms-consumer-secret' } } }),
  ]);
  sessions.users.set('sam', 'kind-forms-password-2');
  jwt.register(JWT_ISSUER, { key: jwtKey.publicKey, algorithm: 'RS256' });
  context = await world.context();
  page = await context.newPage();
  await signIn(page);
}, 60_000);
afterAll(async () => {
  await maybe(context)?.close();
  await maybe(world)?.close();
  await maybe(keyService)?.close();
  await maybe(sessions)?.close();
  await maybe(jwt)?.close();
  await maybe(oauth1)?.close();
});

/** Add connection → HTTP → the kind, as the Connection type select names it. */
async function openKind(type: string): Promise<Locator> {
  // From a fresh page: nothing left open by the kind before.
  await page.goto('/connections');
  await page.getByRole('button', { name: 'Add connection' }).click();
  await chooseApp(page, 'Add a connection', 'HTTP');
  const dialog = page.getByRole('dialog', { name: 'Create a connection to HTTP' });
  await dialog.getByLabel('Connection type').selectOption({ label: type });
  return dialog;
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A field by its label's words exactly, the required mark aside. */
const labelled = (name: string) => new RegExp(`^${escaped(name)}(\\s*\\*)?$`);

/** Each required field's mark is on its label's line; each help text is under its field and describes it. */
async function expectLaidOut(dialog: Locator, required: string[], helped: string[]): Promise<void> {
  for (const name of required) {
    const label = dialog.locator('label').filter({ hasText: new RegExp(`^${escaped(name)}\\s*\\*$`) });
    const box = (await label.boundingBox())!;
    const mark = (await label.locator('.required').boundingBox())!;
    expect(Math.abs(mark.y - box.y), `the mark of ${name}`).toBeLessThan(4);
    expect(mark.x, `the mark of ${name}`).toBeGreaterThan(box.x);
  }
  for (const name of helped) {
    const field = dialog.getByLabel(labelled(name));
    const helpId = (await field.getAttribute('aria-describedby'))?.split(' ')[0];
    expect(helpId, `the help of ${name}`).toBeTruthy();
    const help = dialog.locator(`[id="${helpId!}"]`);
    expect(await help.textContent()).toMatch(/\S/);
    const control = (await field.boundingBox())!;
    expect((await help.boundingBox())!.y, `the help of ${name}`).toBeGreaterThanOrEqual(control.y + control.height - 1);
  }
}

/** The API's sentence about `name` is on that field, and the field is marked invalid and described by it. */
async function expectFieldError(scope: Locator, name: string, said: RegExp): Promise<void> {
  const field = scope.getByLabel(labelled(name));
  await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
  const errorId = (await field.getAttribute('aria-describedby'))!.split(' ').at(-1)!;
  expect(await scope.locator(`[id="${errorId}"]`).textContent()).toMatch(said);
}

async function fill(scope: Locator, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const field = scope.getByLabel(labelled(name));
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
}

/** Saved and checked at the service: the dialog closes; the connection's page opens from the table. */
async function saveAndOpen(dialog: Locator, name: string): Promise<Locator> {
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  return page.getByRole('region', { name: 'Settings' });
}

/** An existing secret shows as "set — replace", never as its value, in the page or its API. */
async function expectSecretSet(settings: Locator, name: string, value: string): Promise<void> {
  const field = settings.getByLabel(labelled(name));
  await expect.poll(() => field.inputValue()).toBe('set');
  expect(await field.getAttribute('readonly')).not.toBeNull();
  await settings.getByRole('button', { name: `Replace ${name}` }).waitFor();
  expect(await page.content()).not.toContain(value);
}

/** A new destination opens every secret for entry again: saved only with them, and checked at the service. */
async function changeBaseUrl(
  settings: Locator,
  baseUrl: string,
  secret: { name: string; value: string },
): Promise<void> {
  await settings.getByLabel(labelled('Base URL')).fill(baseUrl);
  await settings.getByText('enter its secrets again').waitFor();
  const field = settings.getByLabel(labelled(secret.name));
  expect(await field.inputValue()).toBe('');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  // Each secret it holds is asked for: the browser holds the form back without it.
  expect(await field.getAttribute('required')).not.toBeNull();
  expect(await field.evaluate((el: HTMLInputElement) => el.validity.valueMissing)).toBe(true);
  await field.fill(secret.value);
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await settings.getByText('The settings were saved.').waitFor();
  await expectSecretSet(settings, secret.name, secret.value);
  const id = new URL(page.url()).pathname.split('/').at(-1)!;
  const shown = (await (await page.request.get(`/api/v1/connections/${id}`)).json()) as { data: object };
  expect(shown.data).toMatchObject({ baseUrl });
}

describe('every kind of connection through its form, in Chromium', { timeout: 120_000 }, () => {
  it('API key: marks, help, a field error, then the key write-only and asked for again at a new Base URL', async () => {
    const dialog = await openKind('API key');
    await expectLaidOut(
      dialog,
      ['API key', 'API key parameter name', 'Base URL'],
      ['API key parameter name', 'Base URL'],
    );
    await fill(dialog, {
      'Connection name': 'Keyed service',
      'API key': accepted.apiKey,
      'API key parameter name': 'X-Api-Key',
      'Base URL': 'ftp://example.com/v1',
    });
    await dialog.getByLabel('Show advanced settings').check();
    await fill(dialog, { 'Verify URI': `${keyService.url}/v1/me` });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expectFieldError(dialog, 'Base URL', /^Base URL .+\.$/);
    await screenshot(page, '60-kind-api-key-error');
    await fill(dialog, { 'Base URL': `${keyService.url}/v1` });
    const settings = await saveAndOpen(dialog, 'Keyed service');
    await expectSecretSet(settings, 'API key', accepted.apiKey);

    // Replaced, the new key is checked at the service before it is kept.
    accepted.apiKey = 'kind-forms-key-0002';
    await settings.getByRole('button', { name: 'Replace API key' }).click();
    await settings.getByLabel(labelled('API key')).fill(accepted.apiKey);
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByText('The settings were saved.').waitFor();
    await expectSecretSet(settings, 'API key', accepted.apiKey);

    await changeBaseUrl(settings, `${keyService.url}/v2`, { name: 'API key', value: accepted.apiKey });
  });

  it('Username and password: marks, help, a field error, then the password write-only and asked for again', async () => {
    const dialog = await openKind('Username and password');
    await expectLaidOut(dialog, ['Username', 'Password', 'Base URL'], ['Base URL']);
    await fill(dialog, {
      'Connection name': 'Basic service',
      Username: accepted.username,
      Password: accepted.password,
      'Base URL': `${keyService.url}/v1`,
    });
    await dialog.getByLabel('Show advanced settings').check();
    await fill(dialog, { 'Verify URI': 'ftp://example.com/me' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expectFieldError(dialog, 'Verify URI', /^Verify URI .+\.$/);
    await fill(dialog, { 'Verify URI': `${keyService.url}/v1/me` });
    const settings = await saveAndOpen(dialog, 'Basic service');
    await expectSecretSet(settings, 'Password', accepted.password);
    await changeBaseUrl(settings, `${keyService.url}/v3`, { name: 'Password', value: accepted.password });
  });

  it('Login session: marks, help, a field error, then the password write-only and asked for again', async () => {
    const dialog = await openKind('Login session');
    await expectLaidOut(
      dialog,
      ['Login URI', 'User name', 'Password', 'Login body', 'Session from', 'Base URL'],
      ['Login URI', 'Login body', 'Session from', 'Base URL'],
    );
    await fill(dialog, {
      'Connection name': 'Session service',
      'Login URI': 'ftp://example.com/login',
      'User name': 'sam',
      Password: 'kind-forms-password-2',
      'Session from': 'cookie:SID',
      'Base URL': `${sessions.url}/api`,
    });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expectFieldError(dialog, 'Login URI', /^Login URI .+\.$/);
    await fill(dialog, { 'Login URI': `${sessions.url}/login` });
    await dialog.getByLabel('Show advanced settings').check();
    await fill(dialog, { 'Verify URI': `${sessions.url}/api/me` });
    const settings = await saveAndOpen(dialog, 'Session service');
    await expectSecretSet(settings, 'Password', 'kind-forms-password-2');
    await changeBaseUrl(settings, `${sessions.url}/api403`, { name: 'Password', value: 'kind-forms-password-2' });
  });

  it('OAuth 2.0 client credentials: a field error, then the client secret write-only and asked for again', async () => {
    const dialog = await openKind('OAuth 2.0');
    await expectLaidOut(dialog, ['Client ID'], ['Authorize URI', 'Token URI']);
    const client = world.oauth.client('client_secret_post');
    await dialog.getByLabel('Show advanced settings').check();
    await fill(dialog, {
      'Connection name': 'Machine client',
      Flow: 'client_credentials',
      'Token URI': 'ftp://example.com/token',
      'Client ID': client.clientId,
      'Client Secret': client.clientSecret,
      'Base URL': `${world.oauth.issuer}/api`,
    });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expectFieldError(dialog, 'Token URI', /^Token URI .+\.$/);
    await fill(dialog, { 'Token URI': world.oauth.tokenEndpoint });
    // No consent at the service for this grant: no window opens for one.
    let popups = 0;
    const counted = () => (popups += 1);
    page.on('popup', counted);
    const settings = await saveAndOpen(dialog, 'Machine client');
    page.off('popup', counted);
    expect(popups).toBe(0);
    await expectSecretSet(settings, 'Client Secret', client.clientSecret);
    await changeBaseUrl(settings, `${world.oauth.issuer}/api/v2`, {
      name: 'Client Secret',
      value: client.clientSecret,
    });
  });

  it('Signed JWT: marks, help, a field error, then the private key write-only and asked for again', async () => {
    const dialog = await openKind('Signed JWT (service account)');
    await expectLaidOut(
      dialog,
      ['Token URI', 'Issuer (iss)', 'Private key', 'Base URL'],
      ['Token URI', 'Issuer (iss)', 'Private key', 'Base URL'],
    );
    await fill(dialog, {
      'Connection name': 'Reports service',
      'Token URI': 'ftp://example.com/token',
      'Issuer (iss)': JWT_ISSUER,
      // Pasted as people paste it: into a one-line field, which keeps no line breaks.
      'Private key': JWT_PEM,
      'Base URL': `${jwt.origin}/api`,
    });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expectFieldError(dialog, 'Token URI', /^Token URI .+\.$/);
    await fill(dialog, { 'Token URI': jwt.tokenEndpoint });
    const settings = await saveAndOpen(dialog, 'Reports service');
    expect(jwt.grants.map((g) => g.iss)).toContain(JWT_ISSUER);
    await expectSecretSet(settings, 'Private key', JWT_PEM.split('\n')[1]!);
    await changeBaseUrl(settings, `${jwt.origin}/api/v2`, { name: 'Private key', value: JWT_PEM });
  });

  it('OAuth 2.0 (authorization code): marks beside labels, help under fields', async () => {
    const dialog = await openKind('OAuth 2.0');
    await expectLaidOut(dialog, ['Connection name', 'Client ID'], ['Authorize URI', 'Token URI']);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('OAuth 1.0a: marks, help, a field error, consent, then the consumer secret asked for again, with consent', async () => {
    const dialog = await openKind('OAuth 1.0a');
    await expectLaidOut(
      dialog,
      ['Request token URI', 'Authorize URI', 'Access token URI', 'Consumer Key'],
      ['Request token URI', 'Authorize URI', 'Access token URI', 'Consumer Secret'],
    );
    await fill(dialog, {
      'Connection name': 'Signed service',
      'Request token URI': 'ftp://example.com/request',
      'Authorize URI': `${oauth1.origin}/oauth/authorize`,
      'Access token URI': `${oauth1.origin}/oauth/access_token`,
      'Consumer Key': 'kind-forms-consumer',
      'Consumer Secret': 'kind-forms-consumer-secret',
    });
    await dialog.getByLabel('Show advanced settings').check();
    await fill(dialog, { 'Base URL': `${oauth1.origin}/1.1` });
    const refused = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Save' }).click();
    // The consent window opened inside the click closes again on the refusal.
    const popup = await refused;
    await expectFieldError(dialog, 'Request token URI', /^Request token URI .+\.$/);
    await expect.poll(() => popup.isClosed()).toBe(true);
    await screenshot(page, '61-kind-oauth1-error');

    // The service's consent page sends the person straight back (the peer approves at once).
    await fill(dialog, { 'Request token URI': `${oauth1.origin}/oauth/request_token` });
    const settings = await saveAndOpen(dialog, 'Signed service');
    // Only what it holds: the consumer secret, not the RSA private key it never had.
    await expectSecretSet(settings, 'Consumer Secret', 'kind-forms-consumer-secret');
    expect(await settings.getByLabel(labelled('Private key')).count()).toBe(0);
    await changeBaseUrl(settings, `${oauth1.origin}/2`, {
      name: 'Consumer Secret',
      value: 'kind-forms-consumer-secret',
    });
  });
});
