import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BUILT_IN_APPS_DIR } from '../../src/catalog/app-folder.ts';
import { addTestConnection, openWebWorld, screenshot, signIn, type WebWorld } from './harness.ts';
import { maybe } from '../helpers/maybe.ts';

/**
 * The picker at catalog scale: `count` generated apps in HITCH_APPS_DIR, copies
 * of built-in API-key apps (so each is as large as a real one) under new ids,
 * names and categories. One of them, "Zephyr Ledger" (Accounting), is the one
 * a person looks for; its module "Reconcile a payout" is found by module name.
 */
const WORDS = ['Acme', 'Blue', 'Cedar', 'Delta', 'Echo', 'Fjord', 'Granite', 'Harbor', 'Iris', 'Juniper'];
const CATEGORIES = ['CRM', 'Files', 'Marketing', 'Productivity', 'Developer tools', 'Accounting'];

function generatedApps(count: number): Array<Record<string, unknown>> {
  const sources = fs
    .readdirSync(BUILT_IN_APPS_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => JSON.parse(fs.readFileSync(path.join(BUILT_IN_APPS_DIR, f), 'utf8')) as Record<string, unknown>)
    .filter((a) => !a.extends && (a.connections as Array<{ type: string }>).every((k) => k.type === 'apiKey'))
    .filter((a) => Array.isArray(a.modules) && a.modules.length > 0);
  const apps: Array<Record<string, unknown>> = Array.from({ length: count - 1 }, (_, i) => {
    const source = sources[i % sources.length]!;
    const name = `${WORDS[i % 10]} ${WORDS[Math.floor(i / 10) % 10]} ${i}`;
    return { ...source, id: `generated-${i}`, name, category: CATEGORIES[i % CATEGORIES.length] };
  });
  const source = sources[0]!;
  const [first, ...others] = source.modules as Array<Record<string, unknown>>;
  apps.splice(Math.floor(count * 0.7), 0, {
    ...source,
    id: 'zephyr-ledger',
    name: 'Zephyr Ledger',
    category: 'Accounting',
    modules: [{ ...first, name: 'Reconcile a payout' }, ...others],
  });
  return apps;
}

async function openPicker(page: Page) {
  await page.getByRole('link', { name: 'Connections' }).click();
  await page.getByRole('button', { name: 'Add connection' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a connection' });
  await dialog.getByRole('combobox').waitFor();
  return dialog;
}

for (const count of [300, 1000]) {
  describe(`the app picker with ${count} generated apps, in Chromium`, { timeout: 180_000 }, () => {
    let world: WebWorld;
    beforeAll(async () => {
      world = await openWebWorld({ apps: generatedApps(count) });
    }, 120_000);
    afterAll(async () => maybe(world)?.close());

    it('finds an app by typing its name, its category or a module’s name, at once', async () => {
      const context = await world.context();
      const page = await context.newPage();
      await signIn(page);
      const dialog = await openPicker(page);
      await expect.poll(() => dialog.getByRole('option').count()).toBeGreaterThan(100);
      if (count === 300) await screenshot(page, '40-picker');

      const search = dialog.getByRole('combobox');
      const zephyr = dialog.getByRole('option', { name: /^Zephyr Ledger/ });
      // From the keystroke to the list showing the app: no visible delay, measured in the page itself.
      const ms = await page.evaluate(async () => {
        const input = document.querySelector<HTMLInputElement>('[cmdk-input]')!;
        const started = performance.now();
        // React hears the value set as the browser's own setter sets it, as typing does.
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, 'zephyr');
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const shown = () =>
          Array.from(document.querySelectorAll('[cmdk-item] .picker-name')).some(
            (el) => el.textContent === 'Zephyr Ledger',
          );
        while (!shown() && performance.now() - started < 10_000) await new Promise(requestAnimationFrame);
        return performance.now() - started;
      });
      expect(ms).toBeLessThan(500);
      await expect.poll(() => dialog.getByRole('option').count()).toBe(1);
      await zephyr.waitFor();

      await search.fill('reconcile payout');
      await zephyr.waitFor();
      await search.fill('');
      await dialog.getByRole('group', { name: 'Categories' }).getByRole('button', { name: 'Accounting' }).click();
      await zephyr.waitFor();
      expect(await dialog.getByRole('option', { name: /Generic/ }).count()).toBe(0);
      if (count === 300) await screenshot(page, '41-picker-category');
      await zephyr.click();
      await page.getByRole('dialog', { name: 'Create a connection to Zephyr Ledger' }).waitFor();
      await context.close();
    });

    it('is used with the keyboard alone: type, arrows, Enter', async () => {
      const context = await world.context();
      const page = await context.newPage();
      await signIn(page);
      await page.getByRole('link', { name: 'Connections' }).click();
      await page.getByRole('button', { name: 'Add connection' }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Add a connection' });
      await dialog.getByRole('combobox').waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
      const selected = dialog.getByRole('option', { selected: true });
      // Typing narrows the list and highlights its first row; arrows move the highlight, the search keeps the focus.
      await page.keyboard.type('acme blue');
      await expect.poll(() => selected.textContent()).toContain('Acme Blue');
      const first = await selected.textContent();
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => selected.textContent()).not.toBe(first);
      await page.keyboard.press('ArrowUp');
      await expect.poll(() => selected.textContent()).toBe(first);
      await page.keyboard.press('Control+a');
      await page.keyboard.type('zeph');
      await expect.poll(() => selected.textContent()).toContain('Zephyr Ledger');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
      await page.keyboard.press('Enter');
      await page.getByRole('dialog', { name: 'Create a connection to Zephyr Ledger' }).waitFor();
      await context.close();
    });

    it('filters the Connections table by any app with the same searchable list, by keyboard alone', async () => {
      const context = await world.context();
      const page = await context.newPage();
      await signIn(page);
      await addTestConnection(page, 'Filtered IdP');
      const row = page.getByRole('row', { name: /Filtered IdP/ });
      await row.waitFor();

      const filter = page.getByRole('button', { name: 'App All apps' });
      await filter.focus();
      await page.keyboard.press('Enter');
      const list = page.getByRole('dialog', { name: 'Filter connections by app' });
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
      // The whole catalog is there to search, a page of it shown at once.
      await expect.poll(() => list.getByRole('status').textContent()).toMatch(/^Showing 100 of \d+ apps/);
      await page.keyboard.type('zephyr');
      const selected = list.getByRole('option', { selected: true });
      await expect.poll(() => selected.textContent()).toContain('Zephyr Ledger');
      await page.keyboard.press('Enter');
      // Chosen: the list closes, the button names the app and keeps the focus, the table follows.
      await list.waitFor({ state: 'detached' });
      const zephyrFilter = page.getByRole('button', { name: 'App Zephyr Ledger' });
      await expect.poll(() => zephyrFilter.evaluate((b) => b === document.activeElement)).toBe(true);
      await page.getByText('No connection matches these filters').waitFor();
      expect(await row.count()).toBe(0);

      // Arrow down opens it again; the team's app is found by typing too.
      await page.keyboard.press('ArrowDown');
      await list.waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
      await page.keyboard.type('test idp');
      await expect.poll(() => selected.textContent()).toContain('Test IdP');
      if (count === 300) await screenshot(page, '42-app-filter');
      await page.keyboard.press('Enter');
      await row.waitFor();
      expect(await page.getByRole('button', { name: 'App Test IdP' }).count()).toBe(1);

      // Escape closes it and changes nothing; All apps, first in the list, takes the filter off.
      await page.keyboard.press('Enter');
      await list.waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
      await page.keyboard.press('Escape');
      await list.waitFor({ state: 'detached' });
      expect(await page.getByRole('button', { name: 'App Test IdP' }).count()).toBe(1);
      await page.keyboard.press('Enter');
      await list.waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
      await page.keyboard.press('Home');
      await expect.poll(() => selected.textContent()).toContain('All apps');
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'App All apps' }).waitFor();
      await row.waitFor();
      await context.close();
    });
  });
}
