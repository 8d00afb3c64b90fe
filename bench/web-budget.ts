/**
 * Web console budgets, measured end to end:
 *  1. initial JavaScript: the module script and modulepreloads of dist/index.html, gzipped (level 9);
 *  2. the nodes page with 10,000 nodes (an `overmind api` serving the built console and an
 *     `overmind worker` on an embedded Postgres), driven by Debian Chromium through Playwright:
 *     load to interactive, search, next page, and long tasks while scrolling.
 * Run: pnpm --filter @overmind/bench run bench:web (after pnpm run build). Prints a Markdown table.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createLogger, loadConfig, migrateDatabase, startEmbeddedPostgres } from '@overmind/api';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT, apiCaller, startOvermind, waitFor } from './bench-support.js';

const DIST = join(ROOT, 'apps/web/dist');
const CHROMIUM = '/usr/bin/chromium';
const PORT = 18481; // apart from api-bench's ports, so both can run
const BASE = `http://127.0.0.1:${PORT}`;
const PASSWORD = 'bench-admin-password';
const NODES = 10_000;
const RUNS = 5;
const SEARCH = 'existing-7777'; // matches exactly one seeded node

type Row = [measure: string, result: string, target: string];
const log = createLogger(loadConfig({ LOG_LEVEL: 'warn' }));

/** Sums the gzipped size of the JavaScript index.html loads at start (module scripts and modulepreloads). */
async function initialJavaScript(): Promise<{ files: string[]; bytes: number }> {
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  const files: string[] = [];
  for (const [tag] of html.matchAll(/<(script|link)\b[^>]*>/g)) {
    const isScript = tag.startsWith('<script') && /\bsrc="/.test(tag);
    const isPreload = tag.startsWith('<link') && /\brel="modulepreload"/.test(tag);
    if (isScript || isPreload) files.push(/\b(?:src|href)="\/?([^"]+)"/.exec(tag)![1]!);
  }
  if (files.length === 0) throw new Error(`no script in ${DIST}/index.html: run pnpm run build first`);
  let bytes = 0;
  for (const f of files) bytes += gzipSync(await readFile(join(DIST, f)), { level: 9 }).length;
  return { files, bytes };
}

/** Starts an `overmind` process, tracked in `children` so that everything is stopped at the end. */
async function start(args: string[], env: Record<string, string>, children: ChildProcess[]): Promise<void> {
  await startOvermind(args, env, { logLevel: 'info', baseUrl: BASE, children });
}

const api = apiCaller(BASE);

/** A provider whose first sync imports 10,000 nodes; resolves when the sync has succeeded. */
async function seedNodes(): Promise<void> {
  const { token } = await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  const provider = await api('/api/v1/providers', token, {
    method: 'POST',
    body: JSON.stringify({ name: 'bench', type: 'dummy', credentials: { apiKey: 'k' }, settings: { initialNodes: NODES } }),
  });
  await waitFor(async () => {
    const jobs = await api(`/api/v1/jobs?target=${provider.id}&type=provider.sync`, token);
    if (jobs.items[0]?.state === 'failed') throw new Error(`sync failed: ${JSON.stringify(jobs.items[0])}`);
    return jobs.items[0]?.state === 'succeeded' ? true : undefined;
  }, 'initial sync');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (xs: number[]) => `${Math.round(median(xs))} ms (max ${Math.round(Math.max(...xs))})`;
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** A fresh context (cold HTTP cache) holding the logged-in session; long tasks are recorded from page start. */
async function newContext(browser: Browser, session: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript((s) => {
    const w = globalThis as any;
    w.sessionStorage.setItem('overmind.session', s);
    w.__longTasks = [];
    new w.PerformanceObserver((list: any) => w.__longTasks.push(...list.getEntries().map((e: any) => e.duration))).observe({ type: 'longtask' });
  }, session);
  return context;
}

const firstRowLink = (page: Page) => page.locator('tbody tr').first().getByRole('link');

/** Navigates to /nodes and waits for the first page of rows, a search box that takes input and a clickable row link. */
async function loadNodes(page: Page): Promise<void> {
  await page.goto(`${BASE}/nodes`);
  await page.getByText(`Page 1 of ${NODES / 50} (${NODES} total)`).waitFor();
  const search = page.getByRole('searchbox', { name: 'Search', exact: true });
  await search.fill('', { timeout: 5_000 }); // actionable: visible, enabled, editable
  await firstRowLink(page).click({ trial: true }); // actionability checks without navigating
}

async function browserMeasures(browser: Browser): Promise<Row[]> {
  const login = await browser.newContext();
  const page = await login.newPage();
  await page.goto(`${BASE}/login`);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname === '/nodes');
  const session = await page.evaluate(() => (globalThis as any).sessionStorage.getItem('overmind.session') as string);
  await login.close();

  const cold: number[] = [], warm: number[] = [], search: number[] = [], next: number[] = [], scroll: number[][] = [], loadTasks: number[][] = [];
  const errors: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await newContext(browser, session);
    const p = await context.newPage();
    p.setDefaultTimeout(15_000);
    p.on('pageerror', (e) => errors.push(e.message));
    cold.push(await timed(() => loadNodes(p)));
    loadTasks.push(await p.evaluate(() => (globalThis as any).__longTasks as number[]));
    warm.push(await timed(() => loadNodes(p))); // same tab again: scripts from the HTTP cache

    const rows = p.locator('tbody tr');
    search.push(await timed(async () => {
      await p.getByRole('searchbox', { name: 'Search', exact: true }).fill(SEARCH);
      await p.getByText('Page 1 of 1 (1 total)').waitFor();
      await rows.getByRole('link', { name: SEARCH, exact: true }).waitFor();
      if ((await rows.count()) !== 1) throw new Error(`search ${SEARCH}: expected 1 row, got ${await rows.count()}`);
    }));
    await p.getByRole('searchbox', { name: 'Search', exact: true }).fill('');
    await p.getByText(`Page 1 of ${NODES / 50}`).waitFor();

    const firstName = await firstRowLink(p).textContent();
    next.push(await timed(async () => {
      await p.getByRole('button', { name: 'Next' }).click();
      await p.getByText(`Page 2 of ${NODES / 50}`).waitFor();
      await p.waitForFunction((name) => (globalThis as any).document.querySelector('tbody tr a')?.textContent !== name, firstName);
    }));

    await p.evaluate(() => ((globalThis as any).__longTasks = []));
    await p.mouse.move(640, 400);
    for (let step = 0; step < 20; step++) {
      await p.mouse.wheel(0, step < 10 ? 400 : -400);
      await p.waitForTimeout(50);
    }
    await p.waitForTimeout(300); // let the last frames and observer callbacks land
    scroll.push(await p.evaluate(() => (globalThis as any).__longTasks as number[]));
    await context.close();
  }
  if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);

  const tasks = (runs: number[][]) => {
    const all = runs.flat();
    return `${all.length} in ${runs.length} runs, max ${all.length ? Math.round(Math.max(...all)) : 0} ms`;
  };
  return [
    [`/nodes (10,000 nodes) to first 50 rows, interactive, cold cache (median of ${RUNS})`, ms(cold), '< 1 s'],
    ['/nodes to first 50 rows, interactive, warm cache', ms(warm), '< 1 s'],
    ['Long tasks during the cold load', tasks(loadTasks), ''],
    [`Search "${SEARCH}" typed to filtered table (1 of 10,000)`, ms(search), ''],
    ['Next page click to page 2 rows', ms(next), ''],
    ['Long tasks while scrolling the page (20 wheel steps)', tasks(scroll), 'none'],
  ];
}

/** Resolves once a child has exited, killing it if SIGTERM was not enough within 10 s. */
function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/test-prereqs.sh (Debian package chromium)`);
  const results: Row[] = [];
  const js = await initialJavaScript();
  results.push([`Initial JavaScript, gzip -9 (${js.files.join(', ')})`, `${(js.bytes / 1000).toFixed(1)} kB`, '<= 200 kB']);

  const home = await mkdtemp(join(tmpdir(), 'overmind-web-bench-'));
  const children: ChildProcess[] = [];
  let pg: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  let browser: Browser | undefined;
  let browserVersion = '';
  try {
    pg = await startEmbeddedPostgres(home, PORT + 1, log);
    await migrateDatabase(pg.url, log);
    const env = { DATABASE_URL: pg.url, OVERMIND_SECRET_KEY: 'benchmark-secret-key-0123456789abcdefgh', OVERMIND_ADMIN_PASSWORD: PASSWORD, PORT: String(PORT), OVERMIND_WEB_DIR: DIST };
    await start(['api'], { ...env, LOG_LEVEL: 'warn' }, children);
    await start(['worker'], env, children);
    await seedNodes();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    browserVersion = browser.version();
    results.push(...(await browserMeasures(browser)));
  } finally {
    await browser?.close().catch(() => undefined);
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map(stopped));
    await pg?.stop();
    await rm(home, { recursive: true, force: true });
  }

  console.log(`\n${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, Chromium ${browserVersion}\n`);
  console.log('| Measure | Result | Target |\n| --- | --- | --- |');
  for (const [what, value, target] of results) console.log(`| ${what} | ${value} | ${target} |`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
