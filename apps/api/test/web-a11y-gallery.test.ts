import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consolePages } from './support/console-pages.js';
import { CHROMIUM, launchChromium } from './support/chromium.js';
import { createDummyProvider, createTestApp, PASSWORDS, waitForJob, type TestApp } from './support/test-app.js';

/**
 * Every console page in Chromium, at a desktop and a phone size, light and dark: axe-core finds no serious or
 * critical accessibility violation, and a screenshot of each is kept in artifacts/console/ (gitignored).
 */
const webDir = fileURLToPath(new URL('../../web/', import.meta.url));
const distDir = `${webDir}dist`;
const gallery = fileURLToPath(new URL('../../../artifacts/console/', import.meta.url));
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const SCHEMES = ['light', 'dark'] as const;

let t: TestApp;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/test-prereqs.sh (Debian package chromium)`);
  if (!existsSync(`${distDir}/index.html`)) execFileSync(process.execPath, [`${webDir}node_modules/vite/bin/vite.js`, 'build'], { cwd: webDir, stdio: 'ignore' });
  await mkdir(gallery, { recursive: true });
  t = await createTestApp({ env: { OVERMIND_WEB_DIR: distDir } });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
// axe-core goes into every document as it is created, once: sending its 0.5 MB source again for each
// analysis (as @axe-core/playwright does) took most of this file's time.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The serious and critical axe findings on the page as it is now, one line each (rule, impact, where). */
async function seriousViolations(page: Page): Promise<string[]> {
  const violations = await page.evaluate(async (tags) => {
    const { axe } = globalThis as unknown as { axe: typeof import('axe-core') };
    return (await axe.run({ runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })).violations;
  }, AXE_TAGS);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? v.help}`));
}

/** The gallery's node (and its create job) on a dummy provider, made once for the four passes. */
let pages: ReturnType<typeof consolePages>;

describe('every console page', () => {
  beforeAll(async () => {
    const provider = await createDummyProvider(t, {}, 'gallery-lab');
    const created = (await t.request('operator', { method: 'POST', url: '/api/v1/nodes', payload: { providerId: provider.id, name: 'gallery-node-1', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' } })).json();
    await waitForJob(t, created.id);
    pages = consolePages({ nodeId: created.targetId as string, nodeName: 'gallery-node-1', providerId: provider.id, providerName: 'gallery-lab', jobId: created.id });
  }, 60_000);

  const passes = Object.entries(VIEWPORTS).flatMap(([size, viewport]) => SCHEMES.map((colorScheme) => ({ size, viewport, colorScheme })));
  it.each(passes)('has no serious or critical axe violation at $size size, $colorScheme, and is photographed', async ({ size, viewport, colorScheme }) => {
    const found: string[] = [];
    const errors: string[] = [];
    const context = await browser.newContext({ viewport, colorScheme });
    await context.addInitScript({ content: AXE_SOURCE });
    const page = await context.newPage();
    // Margins for a busy 2-core machine: a page that shows nothing for a minute is broken, not slow.
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (err) => errors.push(err.message));
    // For the message of a failure only: leaving a page aborts its event stream, which is not an error.
    const requests: string[] = [];
    page.on('requestfailed', (r) => requests.push(`${r.url()} failed: ${r.failure()?.errorText}`));
    page.on('response', (r) => { if (r.status() >= 400) requests.push(`${r.url()} ${r.status()}`); });
    const check = async (name: string) => {
      await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 60_000 }).toBe(0);
      await page.screenshot({ path: `${gallery}${name}-${size}-${colorScheme}.png`, fullPage: true });
      for (const v of await seriousViolations(page)) found.push(`${name} ${size} ${colorScheme}: ${v}`);
    };
    try {
      await page.goto(`${baseUrl}/`);
      await page.waitForURL(/\/login$/);
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill(PASSWORDS.admin);
      await check('login');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((url) => url.pathname === '/');
      for (const [name, path, ready] of pages) {
        await page.goto(`${baseUrl}${path}`);
        await page.locator('main').getByText(ready).first().waitFor().catch(async (err: Error) => {
          // Say what the page showed instead, so a failure on another machine can be understood from its log.
          const shown = (await page.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 400);
          throw new Error(`${name} (${size}, ${colorScheme}) never showed ${String(ready)} at ${page.url()}: it showed "${shown}"; page errors: ${errors.join(' | ') || 'none'}; requests: ${requests.slice(-10).join(' | ') || 'none failed'}\n${err.message}`);
        });
        await check(name);
      }
      // The shell's own layers: the command palette, and on a phone the navigation menu.
      await page.goto(`${baseUrl}/nodes`);
      await page.locator('main').getByText('gallery-node-1').first().waitFor();
      // The header's search box opens it even before its chunk has loaded; then the shortcut does.
      await page.getByRole('button', { name: /^Search…/ }).click();
      const search = page.getByRole('textbox', { name: /^Search nodes/ });
      await search.fill('gallery');
      await page.getByRole('button', { name: /gallery-node-1/ }).first().waitFor();
      await check('command-palette');
      await page.keyboard.press('Escape');
      await search.waitFor({ state: 'hidden' });
      await page.keyboard.press('Control+k');
      await search.waitFor();
      await page.keyboard.press('Escape');
      await search.waitFor({ state: 'hidden' });
      if (size === 'phone') {
        await page.getByRole('button', { name: 'Open navigation' }).click();
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true }).waitFor();
        await check('navigation-menu');
      }
    } finally {
      await context.close();
    }
    expect(found).toEqual([]);
    expect(errors).toEqual([]);
  }, 400_000);
});
