import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloseCode } from '@overmind/agent-protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/db/entities/index.js';
import { createReadingsIngest } from '../src/modules/metrics/readings-ingest.js';
import { enrol, ScriptedAgent } from './support/agent-client.js';
import { FIXTURE_KITCHEN, kitchenTarGz } from './support/cm-support.js';
import { consolePages } from './support/console-pages.js';
import { CHROMIUM, launchChromium } from './support/chromium.js';
import { createDummyProvider, createTestApp, PASSWORDS, waitForJob, type TestApp } from './support/test-app.js';

const webDir = fileURLToPath(new URL('../../web/', import.meta.url));
const distDir = `${webDir}dist`;
const shots = `${webDir}test-results`;

let t: TestApp;
let baseUrl: string;
let browser: Browser;
let kitchenDir: string;
const pageErrors: string[] = [];
/** Anything the browser refused under the Content-Security-Policy: the console must need nothing it forbids. */
const cspViolations: string[] = [];

// Runs in each page before its own scripts (injected by the browser, so the policy does not apply to it).
const REPORT_CSP_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (e) =>
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' in ' + e.sourceFile + ':' + e.lineNumber));`;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/test-prereqs.sh (Debian package chromium)`);
  // The root test script builds first; a lone run of this file builds the console itself.
  if (!existsSync(`${distDir}/index.html`)) execFileSync(process.execPath, [`${webDir}node_modules/vite/bin/vite.js`, 'build'], { cwd: webDir, stdio: 'ignore' });
  await mkdir(shots, { recursive: true });
  kitchenDir = await mkdtemp(join(tmpdir(), 'overmind-web-kitchen-'));
  t = await createTestApp({ env: { OVERMIND_WEB_DIR: distDir, OVERMIND_KITCHEN_DIR: kitchenDir } });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (kitchenDir) await rm(kitchenDir, { recursive: true, force: true });
});

const PHONE = { width: 390, height: 844 };

async function openPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(REPORT_CSP_VIOLATIONS);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (/CSP violation|Content Security Policy|Refused to/i.test(msg.text())) cspViolations.push(`${page.url()}: ${msg.text()}`);
  });
  return page;
}

async function logIn(page: Page, path: string, role: Role, base = baseUrl) {
  await page.goto(`${base}${path}`);
  await page.waitForURL(/\/login$/);
  await page.getByLabel('Username').fill(role);
  await page.getByLabel('Password').fill(PASSWORDS[role]);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname === path);
}

/** Follows a link of the sidebar (not a breadcrumb or a link in the page with the same name). */
const navTo = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

const rowOf = (page: Page, name: string) => page.locator('tbody tr', { has: page.getByRole('link', { name, exact: true }) });

/** A node made through the API on a dummy provider, its create job finished. */
async function createNode(app: TestApp, providerId: string, name: string): Promise<string> {
  const res = await app.request('operator', {
    method: 'POST',
    url: '/api/v1/nodes',
    payload: { providerId, name, imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' },
  });
  const job = res.json();
  await waitForJob(app, job.id);
  return job.targetId;
}

// Evaluated in the page as strings: the API's tsconfig has no DOM types.
const PAGE_WIDTHS = '({ scroll: document.scrollingElement.scrollWidth, inner: innerWidth })';
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    id: el.id,
    name: (el.getAttribute('aria-label') || el.textContent || '').trim(),
    ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    onScreen: box.right > 0 && box.bottom > 0 && box.left < innerWidth && box.top < innerHeight,
  };
})()`;
type Focused = { id: string; name: string; ring: boolean; onScreen: boolean } | null;
const focused = (page: Page) => page.evaluate<Focused>(FOCUSED);

/** Presses Tab until the focused element is named `name`; fails if it is not reached in `max` presses. */
async function tabTo(page: Page, name: string, max = 60): Promise<NonNullable<Focused>> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now?.name === name) return now;
  }
  throw new Error(`"${name}" was not reached with ${max} presses of Tab`);
}

describe('the web console', () => {
  it('adds providers, shows live node states, reboots a node, and hides controls from observers', async () => {
    const page = await openPage();
    const served = await page.goto(`${baseUrl}/`);
    const headers = served!.headers();
    expect(headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('no-referrer');
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
    await navTo(page, 'Nodes');
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
    // A double click: each node is sent with its own Idempotency-Key, so it is made once whatever
    // reaches the API twice (the bulk reboot below confirms exactly 2 nodes).
    const createKeys: (string | undefined)[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/nodes') createKeys.push(r.headers()['idempotency-key']);
    });
    await page.getByRole('button', { name: 'Create 2 nodes' }).dblclick();
    await page.waitForURL(/\/nodes$/);
    expect(createKeys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(createKeys).size).toBe(2);
    expect(createKeys.every((k) => k && /^[0-9a-f]{32}\.[12]$/.test(k))).toBe(true);
    const badge = rowOf(page, 'web-1').locator('.badge');
    await badge.waitFor();
    const seenFirst = await badge.getAttribute('data-state');
    await expect.poll(() => badge.getAttribute('data-state'), { timeout: 15_000 }).toBe('running');
    expect(seenFirst).not.toBe('running'); // it really changed on screen, not on a reload
    // Both created before the bulk reboot: a node whose create job still runs refuses it (409).
    await expect.poll(() => rowOf(page, 'web-2').locator('.badge').getAttribute('data-state'), { timeout: 15_000 }).toBe('running');
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
    await expect.poll(() => page.getByLabel('Job log').textContent()).toMatch(/\d\d:\d\d\S*( [AP]M)? +(info|warn|error) +\S/);
    await page.screenshot({ path: `${shots}/job-detail.png`, fullPage: true });
    await navTo(page, 'Jobs');
    await page.locator('tbody tr').first().waitFor();
    await page.screenshot({ path: `${shots}/jobs.png`, fullPage: true });

    // An observer sees the same node and providers, without any mutating control.
    const observer = await openPage();
    await logIn(observer, `/nodes/${nodeId}`, 'observer');
    await observer.getByRole('heading', { name: /web-1/ }).waitFor();
    await observer.getByRole('link', { name: 'node.reboot' }).first().waitFor();
    expect(await observer.getByRole('button', { name: /Reboot|Start|Stop|Destroy/ }).count()).toBe(0);
    await navTo(observer, 'Providers');
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
    expect(cspViolations).toEqual([]);
  }, 90_000);

  it('fits a phone screen: nothing scrolls the page sideways', async () => {
    const provider = await createDummyProvider(t, {}, 'phone-lab');
    const nodeId = await createNode(t, provider.id, 'phone-node-with-a-long-name-1');
    const jobs = (await t.request('admin', { method: 'GET', url: `/api/v1/jobs?target=${nodeId}` })).json();
    const page = await openPage(PHONE);
    const fits = async (name: string) => {
      await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
      await page.screenshot({ path: `${shots}/phone-${name}.png`, fullPage: true });
      const { scroll, inner } = await page.evaluate<{ scroll: number; inner: number }>(PAGE_WIDTHS);
      expect(scroll, `${name} is ${scroll}px wide on a ${inner}px screen`).toBeLessThanOrEqual(inner);
    };
    await page.goto(`${baseUrl}/login`);
    await fits('login');
    await logIn(page, '/', 'admin');
    // The pages this pass has always covered (the a11y gallery covers them all).
    const covered = new Set(['dashboard', 'nodes', 'node-detail', 'node-create', 'providers', 'provider-detail', 'jobs', 'job-detail', 'users', 'tokens', 'audit', 'agents']);
    const pages = consolePages({ nodeId, nodeName: 'phone-node-with-a-long-name-1', providerId: provider.id, providerName: 'phone-lab', jobId: jobs.items[0].id }).filter(([name]) => covered.has(name));
    for (const [name, path, ready] of pages) {
      await page.goto(`${baseUrl}${path}`);
      await page.locator('main').getByText(ready).first().waitFor();
      await fits(name);
    }
    // The header keeps the user's name whole on a phone; the search trigger gives way.
    await page.goto(`${baseUrl}/`);
    const username = page.locator('header .user-menu [data-truncate]');
    await expect.poll(() => username.textContent()).toBe('admin');
    const cut = await username.evaluate((el) => el.scrollWidth > el.clientWidth);
    expect(cut, 'the user menu shows "admin" whole').toBe(false);
    // The lists an operator checks on a phone keep to their priority columns and fit it, nothing cut off at the
    // right (a node's long name breaks at its hyphens); a wider table, the audit log, scrolls inside its own box.
    const tableWidths = () => page.locator('.table-scroll').evaluateAll((boxes) => boxes.map((b) => ({ scroll: b.scrollWidth, client: b.clientWidth })));
    for (const [path, row] of [['/', 'node.create'], ['/nodes', 'phone-node-with-a-long-name-1'], ['/jobs', 'node.create'], ['/providers', 'phone-lab']] as const) {
      await page.goto(`${baseUrl}${path}`);
      await page.locator('main tbody').getByText(row).first().waitFor();
      const widths = await tableWidths();
      expect(widths.length, path).toBeGreaterThan(0);
      for (const w of widths) expect(w.scroll, `a table of ${path} is ${w.scroll}px wide in its ${w.client}px box`).toBeLessThanOrEqual(w.client);
    }
    // The node list on a phone: search and state, the other filters behind a button, so the first row is on the
    // first screen; the button shows them (and says how many are on).
    await page.goto(`${baseUrl}/nodes?tag=phone`);
    await page.getByText('No nodes match.').waitFor();
    const tag = page.getByRole('searchbox', { name: 'Tag' });
    await expect.poll(() => tag.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'More filters (1 on)' }).click();
    await expect.poll(() => tag.isVisible()).toBe(true);
    expect(await tag.inputValue()).toBe('phone');
    await page.getByRole('button', { name: 'Fewer filters' }).click();
    await page.goto(`${baseUrl}/nodes`);
    const first = page.locator('main tbody tr').first();
    await first.getByText('phone-node-with-a-long-name-1').waitFor();
    const { y, height } = (await first.boundingBox())!;
    expect(y + height, 'the first row ends within the first screen').toBeLessThanOrEqual(PHONE.height);
    await page.goto(`${baseUrl}/admin/audit`);
    const box = page.locator('.table-scroll').first();
    await box.locator('tbody tr').first().waitFor();
    const [audit] = await tableWidths();
    expect(audit!.scroll).toBeGreaterThan(audit!.client);
    await expect.poll(() => box.getAttribute('role')).toBe('region');
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  }, 90_000);

  it('asks the API once for the rows of a node list opened by URL, while the page code loads', async () => {
    const provider = await createDummyProvider(t, {}, 'preload-lab');
    await createNode(t, provider.id, 'pre-1');
    const page = await openPage();
    await logIn(page, '/nodes', 'observer');
    const asked: string[] = [];
    let recording = true;
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (recording && (url.pathname === '/api/v1/nodes' || url.pathname === '/api/v1/providers')) asked.push(`${url.pathname}${url.search}`);
    });
    // A reload with a session: the preload asks for the page's rows and the providers at start, the page finds them.
    await page.goto(`${baseUrl}/nodes?search=pre-1&sort=createdAt&order=desc`);
    await rowOf(page, 'pre-1').waitFor();
    recording = false;
    const nodes = asked.filter((a) => a.startsWith('/api/v1/nodes'));
    expect(nodes, asked.join('\n')).toHaveLength(1);
    expect(new URLSearchParams(nodes[0]!.split('?')[1])).toEqual(new URLSearchParams({ page: '1', limit: '50', sort: 'createdAt', order: 'desc', search: 'pre-1' }));
    expect(asked.filter((a) => a.startsWith('/api/v1/providers')), asked.join('\n')).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });

  it('works by keyboard alone, with a visible focus ring', async () => {
    const provider = await createDummyProvider(t, {}, 'keyboard-lab');
    const nodeId = await createNode(t, provider.id, 'kbd-1');
    const page = await openPage();
    await page.goto(`${baseUrl}/nodes?search=kbd-1`);
    await page.waitForURL(/\/login$/);

    // Log in by typing: the username field has focus from the start.
    await page.getByLabel('Username').waitFor();
    await expect.poll(async () => (await focused(page))?.id).toBe('username');
    await page.keyboard.type('operator');
    await page.keyboard.press('Tab');
    expect((await focused(page))?.id).toBe('password');
    await page.keyboard.type(PASSWORDS.operator);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ name: 'Log in', ring: true });
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/nodes');
    await rowOf(page, 'kbd-1').waitFor();

    // The first Tab shows the skip link, which moves focus to the page's content.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ name: 'Skip to content', ring: true, onScreen: true });
    await page.keyboard.press('Enter');
    expect((await focused(page))?.id).toBe('main');

    // The row's actions menu (made when first opened): Enter opens it with focus inside, Escape closes it and gives
    // focus back to its button.
    expect(await tabTo(page, 'kbd-1')).toMatchObject({ ring: true });
    expect(await tabTo(page, 'Actions for kbd-1')).toMatchObject({ ring: true });
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Its jobs' }).waitFor();
    await expect.poll(async () => (await focused(page))?.name ?? '').not.toBe('Actions for kbd-1');
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    await expect.poll(async () => (await focused(page))?.name).toBe('Actions for kbd-1');
    await page.keyboard.press('Shift+Tab');
    for (let i = 0; i < 30 && (await focused(page))?.name !== 'kbd-1'; i++) await page.keyboard.press('Shift+Tab');

    // To the node, and a reboot confirmed by keyboard.
    expect(await focused(page)).toMatchObject({ name: 'kbd-1', ring: true });
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === `/nodes/${nodeId}`);
    await page.getByRole('button', { name: 'Reboot' }).waitFor();
    expect(await tabTo(page, 'Reboot')).toMatchObject({ ring: true, onScreen: true });
    await page.screenshot({ path: `${shots}/keyboard-focus.png` });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ name: 'Yes, reboot', ring: true });
    await page.keyboard.press('Enter');
    const reboots = async () => (await t.request('operator', { method: 'GET', url: `/api/v1/jobs?type=node.reboot&target=${nodeId}` })).json().total;
    await expect.poll(reboots).toBe(1);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  }, 60_000);

  it('edits a provider, tags a node and filters by its tag, bulk destroys, and shows a refused call', async () => {
    const provider = await createDummyProvider(t, {}, 'edit-me');
    const [a, b, c] = [await createNode(t, provider.id, 'tag-a'), await createNode(t, provider.id, 'gone-b'), await createNode(t, provider.id, 'gone-c')];
    const page = await openPage();
    await logIn(page, `/providers/${provider.id}`, 'operator');

    // Edit: a new name and sync interval; the stored credentials stay (the field is left empty).
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Name *').fill('edited-lab');
    await page.getByLabel('Sync interval (seconds) *').fill('600');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: /edited-lab/ }).waitFor();
    await expect.poll(() => page.locator('#edit-provider').count()).toBe(0); // the form closes
    const stored = (await t.request('observer', { method: 'GET', url: `/api/v1/providers/${provider.id}` })).json();
    expect(stored).toMatchObject({ name: 'edited-lab', syncIntervalSeconds: 600, status: 'ok' });

    // A tag added on the node page, then the table filtered by it (kept in the URL).
    await page.goto(`${baseUrl}/nodes/${a}`);
    await page.getByLabel('New tag').fill('blue');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Tag blue added.');
    expect((await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${a}` })).json().tags).toEqual(['blue']);
    await navTo(page, 'Nodes');
    await page.getByRole('searchbox', { name: 'Tag' }).fill('blue');
    await page.waitForURL(/tag=blue/);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await rowOf(page, 'tag-a').waitFor();

    // Bulk destroy of two, confirmed; gone from the default list, shown with the gone filter.
    await page.getByRole('searchbox', { name: 'Tag' }).fill('');
    await page.getByRole('searchbox', { name: 'Search', exact: true }).fill('gone-');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(2);
    await page.getByLabel('Select gone-b').check();
    await page.getByLabel('Select gone-c').check();
    await page.getByRole('button', { name: 'Destroy selected' }).click();
    await page.getByRole('button', { name: 'Yes, destroy selected' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Bulk action summary' }).textContent()).toContain('2 succeeded, 0 failed.');
    for (const id of [b, c]) {
      const jobs = (await t.request('observer', { method: 'GET', url: `/api/v1/jobs?type=node.destroy&target=${id}` })).json();
      expect((await waitForJob(t, jobs.items[0].id)).state).toBe('succeeded');
    }
    await page.reload();
    await expect.poll(() => page.locator('tbody tr', { hasText: 'gone-' }).count()).toBe(0);
    // The box follows the URL, which the router updates a moment after the click.
    await page.getByLabel('Include destroyed / decommissioned').click();
    await page.waitForURL(/includeGone=true/);
    await expect.poll(() => page.getByLabel('Include destroyed / decommissioned').isChecked()).toBe(true);
    await expect.poll(() => page.locator('tbody tr', { hasText: '(destroyed)' }).count()).toBe(2);
    await page.screenshot({ path: `${shots}/nodes-gone.png`, fullPage: true });

    // An operator demoted while their page is open: the API refuses, the page says why, with the request id.
    const user = (await t.request('admin', { method: 'POST', url: '/api/v1/users', payload: { username: 'soon-observer', password: 'a-long-enough-password', role: 'operator' } })).json();
    const demoted = await openPage();
    await demoted.goto(`${baseUrl}/nodes/${a}`);
    await demoted.waitForURL(/\/login$/);
    await demoted.getByLabel('Username').fill('soon-observer');
    await demoted.getByLabel('Password').fill('a-long-enough-password');
    await demoted.getByRole('button', { name: 'Log in' }).click();
    await demoted.getByRole('button', { name: 'Reboot' }).waitFor();
    expect((await t.request('admin', { method: 'PATCH', url: `/api/v1/users/${user.id}`, payload: { role: 'observer' } })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 5_500)); // the API re-reads a user's role within 5 s
    await demoted.getByRole('button', { name: 'Reboot' }).click();
    await demoted.getByRole('button', { name: 'Yes, reboot' }).click();
    const alert = demoted.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/role \(observer\) cannot do this/);
    expect(await alert.textContent()).toMatch(/Request id: \S+/);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  }, 90_000);

  it('serves the API docs (Swagger UI) working under their policy; a refused script is reported', async () => {
    const page = await openPage();
    // Swagger UI's bundle is large: a busy machine takes a while to run it.
    const served = await page.goto(`${baseUrl}/api/docs`, { timeout: 60_000 });
    expect(served!.headers()['content-security-policy']).toMatch(/default-src 'self'/);
    // Swagger UI fetched the document and drew every operation, with its logo.
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 30_000 }).toBeGreaterThan(40);
    await page.locator('.opblock-summary-path[data-path="/api/v1/nodes/{id}/reboot"]').waitFor();
    await page.getByRole('button', { name: /Authorize/ }).waitFor();
    await page.screenshot({ path: `${shots}/api-docs.png` });
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);

    // The detector itself: an inline script is refused and shows up as a violation.
    await page.evaluate(`document.body.appendChild(Object.assign(document.createElement('script'), { textContent: 'window.ran = true' }))`);
    await expect.poll(() => cspViolations.length).toBeGreaterThan(0);
    expect(cspViolations[0]).toMatch(/script-src/);
    expect(await page.evaluate('window.ran')).toBeUndefined();
    cspViolations.length = 0;
  }, 120_000);

  it('shows a join token once, approves an enrolled agent onto a node, shows its connection live, and revokes it', async () => {
    const provider = await createDummyProvider(t, {}, 'agent-lab');
    const nodeId = await createNode(t, provider.id, 'agent-node-1');
    const page = await openPage();
    await logIn(page, '/agents', 'operator');

    // A join token for any node: shown this once, with the install command; listed without it.
    const form = page.getByRole('form', { name: 'Create a join token' });
    await form.getByLabel('Description').fill('e2e rack');
    await form.getByRole('button', { name: 'Create join token' }).click();
    const box = page.getByRole('status', { name: 'New join token' });
    const token = (await box.locator('code.secret').textContent())!;
    expect(token).toMatch(/^omj_/);
    await expect.poll(() => box.locator('.install-command').textContent())
      .toMatch(/^curl -fsSL http\S+\/api\/v1\/agent\/install\.sh \| sudo sh -s -- --url http\S+ --token-file \/root\/overmind-join-token$/);
    const tokenRow = page.getByRole('table', { name: 'Join tokens' }).locator('tbody tr', { hasText: 'e2e rack' });
    await expect.poll(() => tokenRow.locator('[data-state]').getAttribute('data-state')).toBe('valid');
    expect(await tokenRow.textContent()).not.toContain(token);
    await page.screenshot({ path: `${shots}/agents-join-token.png`, fullPage: true });
    await page.reload();
    await tokenRow.waitFor();
    expect(await page.locator('body').textContent()).not.toContain(token);
    expect(await page.getByRole('status', { name: 'New join token' }).count()).toBe(0);

    // An agent enrols with it and waits for approval: the list and the token change live.
    const identity = await enrol(baseUrl, token);
    expect(identity).toMatchObject({ status: 'pending', nodeId: null });
    const pendingRow = page.locator(`tr[data-agent-id="${identity.agentId}"]`);
    await pendingRow.waitFor({ timeout: 15_000 });
    await expect.poll(() => tokenRow.locator('[data-state]').getAttribute('data-state'), { timeout: 15_000 }).toBe('used');

    // Approved onto the node, found by searching.
    await pendingRow.getByRole('button', { name: 'Approve…' }).click();
    await pendingRow.getByLabel('Find a node').fill('agent-node-1');
    const select = pendingRow.getByLabel('Node *');
    await expect.poll(() => select.locator('option').allTextContents()).toEqual(['— choose a node —', expect.stringMatching(/^agent-node-1( \(.+\))?$/)]);
    await select.selectOption(nodeId);
    await pendingRow.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByText('Agent on scripted approved as the agent of agent-node-1.').waitFor();
    await expect.poll(() => pendingRow.count()).toBe(0);
    expect((await t.request('observer', { method: 'GET', url: `/api/v1/agents/${identity.agentId}` })).json()).toMatchObject({ status: 'active', nodeId });

    // The node list shows the agent disconnected, then connected when it connects, without a reload.
    await navTo(page, 'Nodes');
    const agentState = rowOf(page, 'agent-node-1').locator('[data-agent-state]');
    await expect.poll(() => agentState.getAttribute('data-agent-state')).toBe('disconnected');
    const agent = await ScriptedAgent.open(baseUrl);
    await agent.hello(identity);
    await agent.next('welcome');
    await expect.poll(() => agentState.getAttribute('data-agent-state'), { timeout: 15_000 }).toBe('connected');
    await page.screenshot({ path: `${shots}/nodes-agent.png`, fullPage: true });

    // Revoked from the active list, which links it to its node: its connection is closed at once.
    await navTo(page, 'Agents');
    await page.getByRole('link', { name: 'Active', exact: true }).click();
    const activeRow = page.locator(`tr[data-agent-id="${identity.agentId}"]`);
    expect(await activeRow.getByRole('link', { name: 'agent-node-1' }).getAttribute('href')).toBe(`/nodes/${nodeId}`);
    await expect.poll(() => activeRow.locator('[data-agent-state]').getAttribute('data-agent-state')).toBe('connected');
    await page.screenshot({ path: `${shots}/agents-active.png`, fullPage: true });
    await activeRow.getByRole('button', { name: 'Revoke' }).click();
    await activeRow.getByRole('button', { name: 'Yes, revoke' }).click();
    expect((await agent.closed).code).toBe(CloseCode.forbidden);
    await page.getByText('Agent on scripted revoked.').waitFor();
    await page.getByRole('link', { name: 'Revoked', exact: true }).click();
    await page.locator(`tr[data-agent-id="${identity.agentId}"]`).waitFor();
    await navTo(page, 'Nodes');
    await expect.poll(() => agentState.getAttribute('data-agent-state')).toBe('none');
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  }, 90_000);

  it("draws a node's readings history on its page, at a desktop and a phone width", async () => {
    const provider = await createDummyProvider(t, {}, 'graph-lab');
    const nodeId = await createNode(t, provider.id, 'graph-node-1');
    // Forty readings 15 s apart, ending now, written by the API's own ingest (as an agent's would be).
    const writer = createReadingsIngest({ db: t.app.db, settings: t.config.metrics, partitions: t.app.services.metrics.partitions, log: { warn: () => {} } });
    await t.app.services.metrics.partitions.maintain();
    const connection = {};
    writer.feature(connection, ['readings']);
    const end = Date.now();
    for (let i = 0; i < 40; i++) {
      const cpu = 10 + i;
      writer.receive(connection, nodeId, {
        type: 'readings', at: new Date().toISOString(), intervalSeconds: 15,
        cpu: { count: 2, total: cpu, user: cpu - 5, nice: 0, system: 5, idle: 100 - cpu, iowait: 0, irq: 0, softirq: 0, steal: 0 },
        load: [0.5, 0.4, 0.3], memory: { total: 8e9, used: 4e9, available: 4e9, free: 1e9, buffers: 0, cached: 2e9, usedPct: 50 }, swap: { total: 0, used: 0 },
        filesystems: [{ mount: '/', device: '/dev/vda1', fstype: 'ext4', size: 100e9, used: 70e9, avail: 30e9, usedPct: 70, inodes: 1e6, inodesUsed: 1e5 }],
        network: [{ iface: 'eth0', rxBytes: 1e6, txBytes: 2e6, rxBps: 2000, txBps: 1000 }], uptimeSeconds: 1000,
      }, end - (39 - i) * 15_000);
      await writer.flushAll();
    }

    const page = await openPage();
    await logIn(page, `/nodes/${nodeId}`, 'observer');
    const cpu = page.locator('[data-chart="CPU"]');
    await expect.poll(() => cpu.locator('[data-drawn-points]').getAttribute('data-drawn-points')).toBe('40');
    expect(await cpu.getByRole('img').getAttribute('aria-label')).toBe('CPU: 40 points; latest total 49 %, user 44 %, system 5.0 %, iowait 0.0 %, steal 0.0 %');
    await page.locator('[data-chart="Network eth0"] [data-drawn-points]').waitFor();
    // The line is drawn: the plot area has pixels of the first series' colour.
    const drawn = `(() => {
      const canvas = document.querySelector('[data-chart="CPU"] canvas');
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return { width: canvas.getBoundingClientRect().width, pixels: n };
    })()`;
    const wide = await page.evaluate<{ width: number; pixels: number }>(drawn);
    expect(wide.pixels).toBeGreaterThan(200);
    await page.screenshot({ path: `${shots}/node-graphs.png`, fullPage: true });

    // At a phone's width the charts shrink with their box and nothing scrolls the page sideways.
    await page.setViewportSize(PHONE);
    await expect.poll(async () => (await page.evaluate<{ width: number; pixels: number }>(drawn)).width).toBeLessThan(PHONE.width);
    // Every chart resizes on its own observer's turn: once they all have, the page is no wider than the screen.
    await expect.poll(async () => {
      const { scroll, inner } = await page.evaluate<{ scroll: number; inner: number }>(PAGE_WIDTHS);
      return scroll - inner;
    }).toBeLessThanOrEqual(0);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("gives a node a server role in pull mode and follows its agent's converge log live on the job page", async () => {
    const kitchen = await t.request('operator', { method: 'PUT', url: '/api/v1/kitchen', payload: await kitchenTarGz(FIXTURE_KITCHEN), headers: { 'content-type': 'application/gzip' } });
    expect(kitchen.statusCode, kitchen.body).toBe(200);
    const provider = await createDummyProvider(t, {}, 'pull-lab');
    const role = await t.request('operator', {
      method: 'POST',
      url: '/api/v1/server-roles',
      payload: {
        name: 'pullweb', providerId: provider.id, locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12', runList: ['role[web]'],
        // Never used: this role's nodes are configured through their agents.
        ssh: { username: 'root', privateKey: 'not-a-key-but-long-enough-for-the-schema' },
      },
    });
    expect(role.statusCode, role.body).toBe(201);
    const nodeId = await createNode(t, provider.id, 'pull-node-1');
    const created = await t.request('operator', { method: 'POST', url: '/api/v1/agent-tokens', payload: { nodeId } });
    const identity = await enrol(baseUrl, created.json().token);
    const agent = await ScriptedAgent.open(baseUrl);
    try {
      await agent.hello(identity);
      await agent.next('welcome');

      const page = await openPage();
      await logIn(page, `/nodes/${nodeId}`, 'operator');
      const agentSection = page.getByRole('region', { name: 'Agent' });
      await expect.poll(() => agentSection.locator('[data-agent-state]').getAttribute('data-agent-state'), { timeout: 15_000 }).toBe('connected');
      await agentSection.getByRole('link', { name: /^scripted/ }).waitFor();

      // The role, in pull mode, set on the node.
      const config = page.getByRole('region', { name: 'Configuration' });
      await config.getByLabel('Server role', { exact: true }).selectOption({ label: 'pullweb' });
      await config.getByLabel('Configuration mode', { exact: true }).selectOption('pull');
      await config.getByRole('button', { name: 'Assign role' }).click();
      await config.getByText('Saved: role pullweb, pull mode. Configure applies it.').waitFor();
      await expect.poll(() => config.locator('[data-config-mode]').getAttribute('data-config-mode')).toBe('pull');
      expect((await t.request('observer', { method: 'GET', url: `/api/v1/nodes/${nodeId}` })).json().configMode).toBe('pull');
      await page.screenshot({ path: `${shots}/node-agent-role.png`, fullPage: true });

      // Configure opens the job page; the agent's lines show up there as it sends them.
      await config.getByRole('button', { name: 'Configure' }).click();
      await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
      const offer = await agent.next('run.offer', 30_000);
      expect(offer.run).toMatchObject({ kind: 'converge', spec: { nodeName: 'pull-node-1', runList: ['role[web]'] } });
      const runId = offer.run.id;
      agent.send({ type: 'run.accepted', runId });
      const log = page.getByLabel('Job log');
      agent.send({ type: 'run.log', runId, seq: 1, lines: [{ stream: 'stdout', text: 'Starting Chef Infra Client, version 18.4.12' }] });
      await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain('Starting Chef Infra Client, version 18.4.12');
      expect(await log.textContent()).not.toContain('Chef Infra Client finished');
      agent.send({ type: 'run.log', runId, seq: 2, lines: [{ stream: 'stdout', text: 'Chef Infra Client finished, 3/3 resources updated in 02 seconds' }] });
      await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain('Chef Infra Client finished, 3/3 resources updated in 02 seconds');
      agent.send({ type: 'run.finished', runId, outcome: 'succeeded', exitCode: 0, signal: null, summary: 'Chef Infra Client finished, 3/3 resources updated in 02 seconds', error: null, logLines: 2, durationMs: 2000 });
      await expect.poll(() => page.locator('h1 .badge').getAttribute('data-state'), { timeout: 20_000 }).toBe('succeeded');
      // The event carries the new state; the page fetches what came with it.
      await expect.poll(() => page.locator('dt:text-is("Finished") + dd').textContent()).not.toBe('—');
      await page.screenshot({ path: `${shots}/job-pull-converge.png`, fullPage: true });
      expect(pageErrors).toEqual([]);
      expect(cspViolations).toEqual([]);
    } finally {
      agent.close();
    }
  }, 90_000);

  it('cancels queued jobs from the job page and from the jobs table', async () => {
    // An API without a worker: its jobs stay queued until someone cancels them.
    const idle = await createTestApp({ worker: false, env: { OVERMIND_WEB_DIR: distDir } });
    let opened: Page | undefined;
    try {
      const idleUrl = await idle.app.listen({ port: 0, host: '127.0.0.1' });
      const provider = (await idle.request('operator', {
        method: 'POST',
        url: '/api/v1/providers',
        payload: { name: 'idle-lab', type: 'dummy', credentials: { apiKey: 'k' } },
      })).json();
      const create = (await idle.request('operator', {
        method: 'POST',
        url: '/api/v1/nodes',
        payload: { providerId: provider.id, name: 'never-made', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' },
      })).json();
      const page = await openPage();
      opened = page;
      await logIn(page, `/jobs/${create.id}`, 'operator', idleUrl);

      await page.getByRole('button', { name: 'Cancel job' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Job cancelled.');
      await expect.poll(() => page.locator('h1 .badge').getAttribute('data-state')).toBe('cancelled');
      expect(await page.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
      const node = (await idle.request('observer', { method: 'GET', url: `/api/v1/nodes/${create.targetId}` })).json();
      expect(node.state).toBe('terminated'); // a create that never ran made nothing
      await page.screenshot({ path: `${shots}/job-cancelled.png`, fullPage: true });

      await navTo(page, 'Jobs');
      const sync = rowOf(page, 'provider.sync');
      await sync.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => sync.locator('.badge').getAttribute('data-state')).toBe('cancelled');
      expect(await sync.getByRole('status').textContent()).toBe('Job cancelled.');
      const syncs = (await idle.request('observer', { method: 'GET', url: `/api/v1/jobs?type=provider.sync&target=${provider.id}` })).json();
      expect(syncs.items[0].state).toBe('cancelled');
      expect(pageErrors).toEqual([]);
      expect(cspViolations).toEqual([]);
    } finally {
      // The page's event stream would hold the server open.
      await opened?.context().close();
      await idle.close();
    }
  }, 60_000);
});
