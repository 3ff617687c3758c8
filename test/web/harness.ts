/**
 * The whole product on loopback for browser tests: a real Hitch server (built
 * web app, SQLite) with a test app pointed at a real oidc-provider, and Debian's
 * Chromium driven by playwright-core.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startHitch, type RunningHitch } from '../../src/server.ts';
import { WEB_DIST_DIR } from '../../src/http/plugins/web-app.ts';
import { APP_ID, testApp } from '../connections/harness.ts';
import { startOAuthServer, type OAuthServer } from '../peers/oauth-server.ts';
import { freePort } from '../process/spawn.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ADMIN = { email: 'ada@example.com', password: 'correct horse battery' };
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-output/screenshots');

export interface WebWorld {
  url: string;
  hitch: RunningHitch;
  oauth: OAuthServer;
  browser: Browser;
  /** A fresh browser profile (cookies, storage) for one test. */
  context(options?: { blockPopups?: boolean }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export interface WebWorldOptions {
  /** More app files for HITCH_APPS_DIR, as parsed JSON (the catalog at scale). */
  apps?: Array<Record<string, unknown>>;
  /** Fields of the test app's OAuth 2.0 kind (a documented grant lifetime, say). */
  kind?: Record<string, unknown>;
}

export async function openWebWorld(options: WebWorldOptions = {}): Promise<WebWorld> {
  if (!fs.existsSync(path.join(WEB_DIST_DIR, 'index.html')))
    throw new Error('web/dist is missing: run npm run build:web first.');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const oauth = await startOAuthServer({ redirectUris: [`${url}/oauth/callback`], accessTokenTtlSeconds: 3600 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-web-'));
  const appsDir = path.join(dataDir, 'apps');
  fs.mkdirSync(appsDir);
  const app = testApp(oauth, options.kind);
  // Modules that need scopes, calling the service's userinfo endpoint (any valid token answers it):
  // the scenario editor asks for `read` first, then extends the same connection with `write`.
  const userinfoPath = new URL(oauth.userinfoEndpoint).pathname;
  (app as { modules?: unknown[] }).modules = [
    { id: 'whoami', name: 'Who am I', scopes: ['read'], inputs: [], request: { method: 'GET', url: userinfoPath } },
    {
      id: 'whoami-writer',
      name: 'Who am I, before writing',
      scopes: ['write'],
      inputs: [{ name: 'note', label: 'Note', type: 'text', required: false, help: 'Sent as a query parameter.' }],
      request: { method: 'GET', url: userinfoPath, query: { note: '{{note}}' } },
    },
  ];
  fs.writeFileSync(path.join(appsDir, `${APP_ID}.json`), JSON.stringify(app));
  for (const extra of options.apps ?? [])
    fs.writeFileSync(path.join(appsDir, `${String(extra.id)}.json`), JSON.stringify(extra));
  const client = oauth.client('client_secret_post');
  // The platform's OAuth client is read from the process environment (this test file's own fork).
  process.env.HITCH_APP_TESTIDP_CLIENT_ID = client.clientId;
  process.env.HITCH_APP_TESTIDP_CLIENT_SECRET = client.clientSecret;
  const config = loadConfig({
    PORT: String(port),
    DATA_DIR: dataDir,
    HITCH_APPS_DIR: appsDir,
    HITCH_ALLOW_PRIVATE_NETWORK: 'true',
    HITCH_ADMIN_EMAIL: ADMIN.email,
    HITCH_ADMIN_PASSWORD: ADMIN.password,
    HITCH_APP_TESTIDP_CLIENT_ID: client.clientId,
    HITCH_APP_TESTIDP_CLIENT_SECRET: client.clientSecret,
  });
  const hitch = await startHitch(config, { log: createLogger('silent'), out: new PassThrough() });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const contexts: BrowserContext[] = [];
  return {
    url,
    hitch,
    oauth,
    browser,
    async context(options = {}) {
      const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 900 } });
      // What a browser's popup blocker does: window.open gives nothing back.
      if (options.blockPopups) await context.addInitScript(() => (window.open = () => null));
      context.setDefaultTimeout(20_000);
      contexts.push(context);
      return context;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await hitch.close();
      await oauth.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function signIn(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Connections' }).waitFor();
}

/** Adds a connection of the test app from Connections, consenting in the popup; answers its id. */
export async function addTestConnection(page: Page, name?: string): Promise<string> {
  await page.getByRole('link', { name: 'Connections' }).click();
  await page.getByRole('button', { name: 'Add connection' }).click();
  await chooseApp(page, 'Add a connection', 'Test IdP');
  const dialog = page.getByRole('dialog', { name: 'Create a connection to Test IdP' });
  if (name) await dialog.getByLabel('Connection name').fill(name);
  const created = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/connections') && r.request().method() === 'POST',
  );
  const popupOpened = page.waitForEvent('popup');
  await dialog.getByRole('button', { name: 'Save' }).click();
  const { connection } = (await (await created).json()) as { connection: { id: string } };
  const popup = await popupOpened;
  // Signed in and consented at the service already (an earlier connection in this browser): it comes straight back.
  await Promise.race([consentAtService(popup).catch(() => undefined), dialog.waitFor({ state: 'detached' })]);
  await dialog.waitFor({ state: 'detached' });
  return connection.id;
}

/** Finds an app in the dialog's picker by typing its name, and chooses it. */
export async function chooseApp(page: Page, dialogName: string, appName: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: dialogName });
  await dialog.getByRole('combobox').fill(appName);
  await dialog
    .getByRole('option')
    .filter({ has: page.getByText(appName, { exact: true }) })
    .first()
    .click();
}

/** The person at the service's pages (oidc-provider's real forms), in whatever page they opened in. */
export async function consentAtService(
  page: Page,
  answer: 'Authorize' | 'Deny' = 'Authorize',
  shot?: string,
): Promise<void> {
  const signInButton = page.getByRole('button', { name: 'Sign in' });
  const answerButton = page.getByRole('button', { name: answer });
  // Signed in at the service already (an earlier consent in this browser): straight to the consent page.
  await signInButton.or(answerButton).first().waitFor();
  if (await signInButton.isVisible()) {
    await page.getByLabel('Email', { exact: true }).fill('alice@example.com');
    await page.getByLabel('Password', { exact: true }).fill('password');
    await signInButton.click();
  }
  await answerButton.waitFor();
  if (shot) await screenshot(page, shot);
  await answerButton.click();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
