import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PASSWORDS, waitForJob, type TestApp } from './support/test-app.js';

const CHROMIUM = '/usr/bin/chromium';
const webDir = fileURLToPath(new URL('../../web/', import.meta.url));
const distDir = `${webDir}dist`;
const shots = `${webDir}test-results`;

let t: TestApp;
let baseUrl: string;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/test-prereqs.sh (Debian package chromium)`);
  // The root test script builds first; a lone run of this file builds the console itself.
  if (!existsSync(`${distDir}/index.html`)) execFileSync(process.execPath, [`${webDir}node_modules/vite/bin/vite.js`, 'build'], { cwd: webDir, stdio: 'ignore' });
  await mkdir(shots, { recursive: true });
  t = await createTestApp({ env: { OVERMIND_WEB_DIR: distDir } });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function openPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return page;
}

async function logIn(page: Page, path: string, role: 'operator' | 'observer') {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForURL(/\/login$/);
  await page.getByLabel('Username').fill(role);
  await page.getByLabel('Password').fill(PASSWORDS[role]);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname === path);
}

const rowOf = (page: Page, name: string) => page.locator('tbody tr', { has: page.getByRole('link', { name, exact: true }) });

describe('the web console', () => {
  it('adds providers, shows live node states, reboots a node, and hides controls from observers', async () => {
    const page = await openPage();
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(/\/login$/);
    await page.screenshot({ path: `${shots}/login.png` });
    await logIn(page, '/providers', 'operator');

    // A dummy provider through the form generated from its credential schema.
    await expect.poll(() => page.getByLabel('API key *').getAttribute('type')).toBe('password');
    await page.getByLabel('Name *').fill('lab');
    await page.getByLabel('API key *').fill('good-key');
    await page.getByText('Settings', { exact: true }).click();
    await page.getByLabel('Transition time (ms)').fill('1500');
    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.locator('tbody tr', { hasText: 'lab' }).waitFor();

    // Credentials the provider refuses: its message at the credentials, with the request id.
    await page.getByLabel('Name *').fill('bad-lab');
    await page.getByLabel('API key *').fill('bad-key');
    await page.getByRole('button', { name: 'Add provider' }).click();
    await expect.poll(() => page.locator('#credentials-error').textContent()).toContain('refused');
    expect(await page.getByRole('alert').textContent()).toMatch(/Request id: \S+/);
    await page.screenshot({ path: `${shots}/providers.png`, fullPage: true });

    // A node created with the form (catalog filled by the provider's refresh job) appears in the list
    // at once and turns running, live.
    await page.getByRole('link', { name: 'Nodes' }).click();
    await page.getByRole('link', { name: 'Create nodes' }).click();
    await page.waitForURL(/\/nodes\/new$/);
    await page.getByLabel('Provider *').selectOption({ label: 'lab' });
    await page.getByRole('option', { name: /^Small.*\$5\/mo/ }).waitFor({ state: 'attached' });
    await page.getByLabel('Location *').selectOption('lab-1');
    await page.getByLabel('Size *').selectOption('small');
    await page.getByLabel('Image *').selectOption('debian-12');
    await page.getByLabel('Name *').fill('web');
    await page.getByLabel('Count').fill('2');
    await page.screenshot({ path: `${shots}/node-create.png`, fullPage: true });
    await page.getByRole('button', { name: 'Create 2 nodes' }).click();
    await page.waitForURL(/\/nodes$/);
    const badge = rowOf(page, 'web-1').locator('.badge');
    await badge.waitFor();
    const seenFirst = await badge.getAttribute('data-state');
    await expect.poll(() => badge.getAttribute('data-state'), { timeout: 15_000 }).toBe('running');
    expect(seenFirst).not.toBe('running'); // it really changed on screen, not on a reload
    await rowOf(page, 'web-2').waitFor();
    const listed = (await t.request('operator', { method: 'GET', url: '/api/v1/nodes?search=web-1' })).json();
    const nodeId: string = listed.items.find((n: { name: string }) => n.name === 'web-1').id;

    // Bulk reboot of both, confirmed by count, summed up per node.
    await page.getByLabel('Select all nodes on this page').check();
    await page.getByRole('button', { name: 'Reboot selected' }).click();
    expect(await page.getByRole('group', { name: 'Confirm Reboot selected' }).textContent()).toContain('Reboot 2 nodes?');
    await page.getByRole('button', { name: 'Yes, reboot selected' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Bulk action summary' }).textContent()).toContain('2 succeeded, 0 failed.');
    const bulk = (await t.request('operator', { method: 'GET', url: `/api/v1/jobs?type=node.reboot&target=${nodeId}` })).json();
    expect(bulk.total).toBe(1);
    await waitForJob(t, bulk.items[0].id);
    await page.screenshot({ path: `${shots}/nodes.png`, fullPage: true });

    // Reboot from the detail page, with confirmation; the job shows in the node's history.
    await rowOf(page, 'web-1').getByRole('link', { name: 'web-1' }).click();
    await page.getByRole('button', { name: 'Reboot' }).click();
    await page.getByRole('button', { name: 'Yes, reboot' }).click();
    const jobLink = page.getByRole('link', { name: 'node.reboot' }).first(); // newest first
    const listReboots = async () => (await t.request('operator', { method: 'GET', url: `/api/v1/jobs?type=node.reboot&target=${nodeId}` })).json();
    await expect.poll(async () => (await listReboots()).total).toBe(2); // the bulk one and this one
    const reboots = await listReboots();
    await jobLink.waitFor();
    await Promise.all(reboots.items.map((j: { id: string }) => waitForJob(t, j.id)));
    await expect.poll(() => page.locator('tbody tr').first().locator('.badge').getAttribute('data-state')).toBe('succeeded');
    await page.screenshot({ path: `${shots}/node-detail.png`, fullPage: true });
    await jobLink.click();
    await expect.poll(() => page.getByLabel('Job log').textContent()).toMatch(/\S+ +\S+ +\S/);
    await page.screenshot({ path: `${shots}/job-detail.png`, fullPage: true });
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.locator('tbody tr').first().waitFor();
    await page.screenshot({ path: `${shots}/jobs.png`, fullPage: true });

    // An observer sees the same node and providers, without any mutating control.
    const observer = await openPage();
    await logIn(observer, `/nodes/${nodeId}`, 'observer');
    await observer.getByRole('heading', { name: /web-1/ }).waitFor();
    await observer.getByRole('link', { name: 'node.reboot' }).first().waitFor();
    expect(await observer.getByRole('button', { name: /Reboot|Start|Stop|Destroy/ }).count()).toBe(0);
    await observer.getByRole('link', { name: 'Providers' }).click();
    await observer.locator('tbody tr', { hasText: 'lab' }).waitFor();
    expect(await observer.getByRole('button', { name: 'Add provider' }).count()).toBe(0);

    // A token the API no longer accepts (401) sends to the login page, and back after logging in.
    // (runs in the browser; the API's tsconfig has no DOM types, hence globalThis)
    await observer.evaluate(() => {
      const storage = (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void } }).sessionStorage;
      const session = JSON.parse(storage.getItem('overmind.session')!);
      storage.setItem('overmind.session', JSON.stringify({ ...session, token: 'expired' }));
    });
    await logIn(observer, '/jobs', 'observer');
    await observer.locator('tbody tr').first().waitFor();
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
