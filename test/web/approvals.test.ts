import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWebWorld, screenshot, signIn, type WebWorld } from './harness.ts';
import { maybe } from '../helpers/maybe.ts';

let world: WebWorld;
beforeAll(async () => {
  world = await openWebWorld();
}, 60_000);
afterAll(async () => maybe(world)?.close());

describe('the Approvals page, in Chromium', { timeout: 60_000 }, () => {
  it('is in the menu and at its own address, saying when no agent waits', async () => {
    const context = await world.context();
    const page = await context.newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Approvals' }).click();
    await page.waitForURL(`${world.url}/approvals`);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
    await expect.poll(() => page.getByText('No agent is waiting for an approval').count()).toBe(1);
    await screenshot(page, '60-approvals');
    await context.close();
  });
});
