/**
 * `npm run screenshots`: the README's pictures of each page, taken in Debian's
 * Chromium (/usr/bin/chromium) against a real Hitch and the local OAuth server,
 * the same world the browser tests use (test/web/harness.ts). Writes
 * docs/screenshots/*.png; needs the built web app (npm run build:web).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { addTestConnection, chooseApp, openWebWorld, signIn } from '../test/web/harness.ts';

const OUT = path.resolve(import.meta.dirname, '../docs/screenshots');
const world = await openWebWorld({
  kind: { grantLifetime: { absoluteDays: 90, docsUrl: 'https://example.com/docs/token-lifetimes' } },
});
const shoot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage });

try {
  const context = await world.context();
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Email').waitFor();
  await shoot(page, 'sign-in');
  await signIn(page);

  const id = await addTestConnection(page, 'Alice at Test IdP');
  await addTestConnection(page, 'Reports at Test IdP');
  await page.goto('/connections');
  await page.getByRole('table').waitFor();
  await shoot(page, 'connections');

  await page.getByRole('button', { name: 'Add connection' }).click();
  const picker = page.getByRole('dialog', { name: 'Add a connection' });
  await picker.getByRole('option').first().waitFor();
  await page.waitForTimeout(300);
  await shoot(page, 'add-connection-picker');
  await chooseApp(page, 'Add a connection', 'HTTP');
  const form = page.getByRole('dialog', { name: 'Create a connection to HTTP' });
  await form.getByLabel('Authorize URI').fill('https://auth.example.com/oauth/authorize');
  await form.getByLabel('Token URI').fill('https://auth.example.com/oauth/token');
  await form.getByLabel('Client ID').fill('my-client');
  await form.getByLabel('Scope', { exact: true }).fill('read:items write:items');
  await shoot(page, 'generic-oauth-connection');
  await form.getByRole('button', { name: 'Cancel' }).click();

  await page.request.post('/api/v1/scenarios', {
    headers: { origin: world.url },
    data: {
      name: 'Morning check',
      modules: [{ id: 1, app: 'testidp', module: 'whoami', connectionId: id, inputs: {} }],
    },
  });
  await page.goto(`/connections/${id}`);
  await page.getByRole('list', { name: 'Events, newest first' }).waitFor();
  await shoot(page, 'connection-page', true);

  await page.getByRole('link', { name: 'Scenarios' }).click();
  await page.getByRole('link', { name: 'Morning check' }).click();
  await page.getByRole('heading', { level: 1, name: 'Morning check' }).waitFor();
  await page.waitForTimeout(300);
  await shoot(page, 'scenario-editor', true);
  await page.getByRole('button', { name: 'Add module' }).click();
  const modules = page.getByRole('dialog', { name: 'Add module' });
  await modules.getByRole('combobox').fill('list');
  await modules.getByRole('option').first().waitFor();
  await page.waitForTimeout(300);
  await shoot(page, 'add-module-picker');
  await page.keyboard.press('Escape');

  await page.getByRole('link', { name: 'Keys' }).click();
  await page.getByRole('heading', { name: 'Keys' }).waitFor();
  await shoot(page, 'keys');

  await page.getByRole('link', { name: 'Approvals' }).click();
  await page.getByRole('heading', { name: 'Approvals' }).waitFor();
  await shoot(page, 'approvals');
  console.log(`Wrote the screenshots into ${path.relative(process.cwd(), OUT)}/.`);
} finally {
  await world.close();
}
