/**
 * The console's bare-metal and configuration pages in Chromium against a real API: a dedicated server
 * registered from the form on a real sshd, a command run on it with its output in its pane, a kitchen
 * uploaded by dropping the archive, a server role made in the form, a node created from it (the
 * stand-in chef-solo converges it over SSH) and the role re-applied with its log on the job page.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSshd, type SshdFixture } from '@overmind/ssh/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoopbackProvider, FIXTURE_KITCHEN, kitchenTarGz, loopbackPlugin, makeRemoteRoot, type RemoteRoot } from './support/cm-support.js';
import { startDedicatedApi, type DedicatedTest } from './support/dedicated-steps.js';
import { PASSWORDS, waitForJob, waitForJobs } from './support/test-app.js';
import { CHROMIUM, launchChromium } from './support/chromium.js';

const webDir = fileURLToPath(new URL('../../web/', import.meta.url));
const distDir = `${webDir}dist`;
const shots = `${webDir}test-results`;

let d: DedicatedTest;
let sshd: SshdFixture;
let remote: RemoteRoot;
let kitchenDir: string;
let baseUrl: string;
let browser: Browser;
let loopProvider: { id: string; name: string };
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/test-prereqs.sh (Debian package chromium)`);
  if (!existsSync(`${distDir}/index.html`)) execFileSync(process.execPath, [`${webDir}node_modules/vite/bin/vite.js`, 'build'], { cwd: webDir, stdio: 'ignore' });
  await mkdir(shots, { recursive: true });
  kitchenDir = await mkdtemp(join(tmpdir(), 'overmind-web-ops-kitchen-'));
  [sshd, remote] = await Promise.all([startSshd(), makeRemoteRoot()]);
  d = await startDedicatedApi({ env: { OVERMIND_WEB_DIR: distDir, OVERMIND_KITCHEN_DIR: kitchenDir }, plugins: [loopbackPlugin(sshd.port)] });
  baseUrl = await d.t.app.listen({ port: 0, host: '127.0.0.1' });
  loopProvider = await createLoopbackProvider(d.t);
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await d?.close();
  await sshd?.stop();
  await remote?.remove();
  if (kitchenDir) await rm(kitchenDir, { recursive: true, force: true });
});

async function operatorPage(path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`${baseUrl}${path}`);
  await page.waitForURL(/\/login$/);
  await page.getByLabel('Username').fill('operator');
  await page.getByLabel('Password').fill(PASSWORDS.operator);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname === path.split('?')[0]);
  return page;
}

/** Picks `option` in the Mantine select (or multi-select) labelled `label`. */
async function choose(page: Page, label: string, option: string | RegExp) {
  await page.getByRole('combobox', { name: label }).or(page.getByRole('textbox', { name: label })).first().click();
  await page.getByRole('option', { name: option }).click();
}

describe('bare metal and configuration in the console', () => {
  let nodeId: string;

  it('registers a dedicated server on a real sshd from the form generated from its schema', async () => {
    const page = await operatorPage('/servers/register');
    await page.getByRole('textbox', { name: /^Name/ }).fill('metal-1');
    await page.getByLabel('SSH address (IP or host name)').fill(sshd.host);
    await page.getByLabel('Port').first().fill(String(sshd.port));
    await page.getByLabel('Username').fill(sshd.username);
    // Key is the default way to log in; the password field only shows after choosing it.
    expect(await page.getByLabel('Password', { exact: true }).and(page.locator('input[type="password"]')).count()).toBe(0);
    await page.getByLabel('Private key (OpenSSH or PEM)').fill(sshd.privateKey);
    await page.getByText('SSH host key pinning').waitFor();
    await page.screenshot({ path: `${shots}/ops-register-form.png`, fullPage: true });
    await page.getByRole('button', { name: 'Register server' }).click();

    await page.waitForURL(/\/nodes\/[0-9a-f-]{36}$/);
    nodeId = page.url().split('/').at(-1)!;
    // Live: pending, then running once the job reached the server.
    await page.locator('h1 [data-state="running"]').waitFor({ timeout: 90_000 });
    const [register] = (await waitForJobs(d.t, { target: nodeId, type: 'node.register' }, 1)) as { state: string; error: string | null }[];
    expect(register!.state, register!.error ?? '').toBe('succeeded');
    // Facts as sections, the host key pinned on first use.
    await page.getByRole('group', { name: 'CPU' }).waitFor();
    const interfaces = page.getByRole('table', { name: 'Network interfaces' });
    await interfaces.waitFor();
    // This machine's interfaces, IPv6 addresses included, fit their card: one address a line.
    const { table, box } = await interfaces.evaluate((t) => ({ table: t.scrollWidth, box: t.parentElement!.clientWidth }));
    expect(table, `the interfaces table is ${table}px wide in its ${box}px box`).toBeLessThanOrEqual(box);
    expect(await page.locator('[data-fingerprint="current"]').textContent()).toMatch(/^SHA256:/);
    await page.screenshot({ path: `${shots}/ops-registered-node.png`, fullPage: true });
    await page.context().close();
  }, 180_000);

  it('runs a command on it: its output and exit code in its pane, then in the history', async () => {
    const page = await operatorPage(`/commands?nodes=${nodeId}`);
    await page.getByRole('button', { name: 'Run on 1 node' }).waitFor();
    await page.getByRole('textbox', { name: 'Command' }).fill('echo "hello from $(id -un)"; uname -s');
    await page.getByRole('button', { name: 'Run on 1 node' }).click();
    const pane = page.getByRole('group', { name: 'Output of metal-1' });
    await pane.getByText('exit 0').waitFor({ timeout: 60_000 });
    expect(await pane.locator('[data-output]').textContent()).toBe(`hello from ${sshd.username}\nLinux`);
    await page.getByRole('table', { name: 'Command history' }).getByText('echo "hello from $(id -un)"; uname -s').waitFor();

    // A failing command: its exit code, and the re-run on the failed node.
    await page.getByRole('textbox', { name: 'Command' }).fill('echo broken; exit 3');
    await page.getByRole('button', { name: 'Run on 1 node' }).click();
    await pane.getByText('exit 3').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: `${shots}/ops-command-runner.png`, fullPage: true });
    const before = page.url();
    await page.getByRole('button', { name: 'Run again on the 1 failed' }).click();
    await expect.poll(() => page.url(), { timeout: 30_000 }).not.toBe(before);
    await pane.getByText('exit 3').waitFor({ timeout: 60_000 });
    const history = (await d.call('operator', { method: 'GET', url: '/api/v1/nodes/actions/run/history' })).json();
    expect(history.items.map((h: { command: string }) => h.command)).toEqual(['echo broken; exit 3', 'echo broken; exit 3', 'echo "hello from $(id -un)"; uname -s']);
    await page.context().close();
  }, 180_000);

  it('uploads a kitchen, makes a server role, creates a node from it with chef-solo, and re-applies the role', async () => {
    const page = await operatorPage('/configuration/kitchen');
    await page.locator('input[type="file"]').setInputFiles({ name: 'kitchen.tar.gz', mimeType: 'application/gzip', buffer: await kitchenTarGz(FIXTURE_KITCHEN) });
    await page.getByText('Kitchen uploaded').waitFor();
    await page.getByRole('table', { name: 'Kitchen roles' }).getByRole('cell', { name: 'web', exact: true }).waitFor();
    await page.screenshot({ path: `${shots}/ops-kitchen.png`, fullPage: true });

    await page.goto(`${baseUrl}/configuration/roles/new`);
    await page.getByRole('textbox', { name: /^Name/ }).fill('web');
    await choose(page, 'Provider', loopProvider.name);
    await choose(page, 'Location', 'Lab 1 (Amsterdam)');
    await choose(page, 'Size', /^Small/);
    await choose(page, 'Image', /Debian 12/);
    await choose(page, 'Run list', 'role[web]');
    await page.keyboard.press('Escape');
    await page.getByLabel('Attributes').fill('{ "nginx": { "port": 8080 }');
    await page.getByText(/Not valid JSON/).waitFor();
    await page.getByLabel('Attributes').fill('{ "nginx": { "port": 8080 } }');
    await page.getByLabel('Chef-solo settings').fill(JSON.stringify({ chefSoloCommand: remote.command('ok'), paths: remote.paths }));
    await page.getByLabel('SSH user').fill(sshd.username);
    await page.getByLabel('SSH private key').fill(sshd.privateKey);
    await page.screenshot({ path: `${shots}/ops-role-form.png`, fullPage: true });
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.waitForURL(/\/configuration\/roles\/[0-9a-f-]{36}$/);
    const roleId = page.url().split('/').at(-1)!;

    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const created = page.getByRole('status').filter({ hasText: 'queued' });
    await created.waitFor();
    const [createJob] = (await d.call('observer', { method: 'GET', url: `/api/v1/jobs?type=node.create` })).json().items;
    const webNode = createJob.targetId as string;
    expect((await waitForJob(d.t, createJob.id, 60_000)).state).toBe('succeeded');
    const [configure] = (await waitForJobs(d.t, { target: webNode, type: 'node.configure' }, 1, 90_000)) as { id: string; state: string }[];
    expect(configure!.state).toBe('succeeded');
    expect((await remote.reports()).map((r) => r.config.node_name)).toEqual(['web-1']);
    // Which nodes run the role: the new node, live, running.
    await page.getByRole('table', { name: 'Nodes of this role' }).locator('[data-state="running"]').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: `${shots}/ops-role.png`, fullPage: true });

    await page.getByRole('button', { name: 'Re-apply to all 1' }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
    await page.getByLabel('Job log').getByText('Chef Infra Client finished', { exact: false }).first().waitFor({ timeout: 90_000 });
    await page.screenshot({ path: `${shots}/ops-reapply-log.png`, fullPage: true });
    expect((await remote.reports()).map((r) => r.config.node_name)).toEqual(['web-1', 'web-1']);
    const roles = (await d.call('observer', { method: 'GET', url: `/api/v1/server-roles/${roleId}` })).json();
    expect(roles).toMatchObject({ name: 'web', runList: ['role[web]'], attributes: { nginx: { port: 8080 } }, nodeIds: [webNode] });
    await page.context().close();
  }, 300_000);

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
