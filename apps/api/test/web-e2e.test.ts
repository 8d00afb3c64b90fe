import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/db/entities/index.js';
import { createDummyProvider, createTestApp, PASSWORDS, waitForJob, type TestApp } from './support/test-app.js';

const CHROMIUM = '/usr/bin/chromium';
const webDir = fileURLToPath(new URL('../../web/', import.meta.url));
const distDir = `${webDir}dist`;
const shots = `${webDir}test-results`;

let t: TestApp;
let baseUrl: string;
let browser: Browser;
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
  t = await createTestApp({ env: { OVERMIND_WEB_DIR: distDir } });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
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
    const pages: [name: string, path: string, ready: string | RegExp][] = [
      ['dashboard', '/', 'Recent jobs'],
      ['nodes', '/nodes', 'phone-node-with-a-long-name-1'],
      ['node-detail', `/nodes/${nodeId}`, 'node.create'],
      ['node-create', '/nodes/new', 'Create nodes'],
      ['providers', '/providers', 'phone-lab'],
      ['provider-detail', `/providers/${provider.id}`, 'Sync now'],
      ['jobs', '/jobs', /^Page 1 of/],
      ['job-detail', `/jobs/${jobs.items[0].id}`, /^\d+ lines?$/],
      ['users', '/admin/users', 'Users'],
      ['tokens', '/admin/tokens', 'API tokens'],
      ['audit', '/admin/audit', 'Audit log'],
    ];
    for (const [name, path, ready] of pages) {
      await page.goto(`${baseUrl}${path}`);
      await page.locator('main').getByText(ready).first().waitFor();
      await fits(name);
    }
    // The jobs table is wider than the phone: it scrolls inside its own box.
    await page.goto(`${baseUrl}/jobs`);
    const box = page.locator('.table-scroll').first();
    await box.locator('tbody tr').first().waitFor();
    const { scrollWidth, clientWidth } = await box.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(scrollWidth).toBeGreaterThan(clientWidth);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  }, 90_000);

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

    // To the node, and a reboot confirmed by keyboard.
    expect(await tabTo(page, 'kbd-1')).toMatchObject({ ring: true });
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
    await page.getByRole('link', { name: 'Nodes', exact: true }).click();
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

      await page.getByRole('link', { name: 'Jobs', exact: true }).click();
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
