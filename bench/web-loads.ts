/**
 * How the console benchmark loads a page and what it records: fresh browser contexts (a cold HTTP
 * cache), the nodes page's wait for first rows and interactive, long tasks, Chromium's network
 * emulation, and the CPU of every process per load. Shared by the console's loads and its ceilings'.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cpuSecondsOfAll, cpuSecondsSpent } from './agent-load/process-meter.js';

/** Nodes the benchmark seeds; the pager reads "Page 1 of 200 (10000 total)". */
export const NODES = 10_000;
/** Loads per measure (the figure is their median). */
export const RUNS = 5;

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const ms = (xs: number[]) => `${Math.round(median(xs))} ms (max ${Math.round(Math.max(...xs))})`;
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** CPU seconds by kind of process (agent-load/process-meter.ts), summed over the loads measured. */
export class CpuTally {
  readonly seconds = new Map<string, number>();
  loads = 0;
  constructor(private readonly names: Record<number, string>) {}
  /** Runs `fn` (outside of whatever it times) and adds what every process on the machine used meanwhile. */
  async during<T>(fn: () => Promise<T>): Promise<T> {
    const before = await cpuSecondsOfAll(this.names);
    const result = await fn();
    for (const [kind, s] of cpuSecondsSpent(before, await cpuSecondsOfAll(this.names))) this.seconds.set(kind, (this.seconds.get(kind) ?? 0) + s);
    this.loads++;
    return result;
  }
  total(): number {
    return [...this.seconds.values()].reduce((a, b) => a + b, 0) / this.loads;
  }
  /** The mean per load, and its largest parts. */
  toString(): string {
    const parts = [...this.seconds].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, s]) => `${k} ${(s / this.loads).toFixed(2)}`);
    return `${this.total().toFixed(2)} s (${parts.join(', ')})`;
  }
}

/** A fresh context (cold HTTP cache) holding the logged-in session; long tasks are recorded from page start. */
export async function newContext(browser: Browser, session: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript((s) => {
    const w = globalThis as any;
    w.sessionStorage.setItem('overmind.session', s);
    w.__longTasks = [];
    new w.PerformanceObserver((list: any) => w.__longTasks.push(...list.getEntries().map((e: any) => e.duration))).observe({ type: 'longtask' });
  }, session);
  await context.addInitScript({ content: ROWS_SHOWN_SCRIPT });
  return context;
}

/**
 * Records in the page (`__rowsShown`, ms from navigation start) the first animation frame after the one
 * that first held the first page's rows and pager: by then that frame has been drawn. What a person
 * sees, without the benchmark's own round trips (Playwright's navigation, its polls with their
 * back-off, its actionability checks), which add about 200 ms to every page, the ceiling's included.
 * A string, not a function: the TypeScript loader would wrap a named function in a helper the page lacks.
 */
const ROWS_SHOWN_SCRIPT = `(() => {
  const held = () => document.querySelector('.pager span')?.textContent === 'Page 1 of ${NODES / 50} (${NODES} total)' && document.querySelector('tbody tr a') !== null;
  const tick = () => (held() ? requestAnimationFrame(() => { window.__rowsShown = performance.now(); }) : requestAnimationFrame(tick));
  requestAnimationFrame(tick);
})();`;

/** When the page first showed its rows (see ROWS_SHOWN_SCRIPT), after `loadNodes`. */
export async function rowsShownAt(page: Page): Promise<number> {
  const at = await page.evaluate(() => (globalThis as any).__rowsShown as number | undefined);
  if (typeof at !== 'number') throw new Error(`${page.url()}: no frame with the first page's rows was recorded`);
  return at;
}

/**
 * A network with real round trips, emulated by Chromium for one page: on loopback every request
 * answers at once, which hides what a chain of requests costs a user across a network.
 */
const SLOW_NETWORK = { offline: false, latency: 50, downloadThroughput: 20e6 / 8, uploadThroughput: 20e6 / 8 };
export const SLOW_NETWORK_LABEL = '50 ms round trips, 20 Mbit/s';

/** Cold loads (fresh context each) over the emulated network. */
export async function slowNetworkLoads(browser: Browser, session: string, url: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await newContext(browser, session);
    const p = await context.newPage();
    p.setDefaultTimeout(30_000);
    const cdp = await context.newCDPSession(p);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_NETWORK);
    times.push(await timed(() => loadNodes(p, url)));
    await context.close();
  }
  return times;
}

export const firstRowLink = (page: Page) => page.locator('tbody tr').first().getByRole('link');

/** Navigates to the nodes page and waits for the first page of rows, a search box that takes input and a clickable row link. */
export async function loadNodes(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByText(`Page 1 of ${NODES / 50} (${NODES} total)`).waitFor();
  const search = page.getByRole('searchbox', { name: 'Search', exact: true });
  await search.fill('', { timeout: 5_000 }); // actionable: visible, enabled, editable
  await firstRowLink(page).click({ trial: true }); // actionability checks without navigating
}

export const tasks = (runs: number[][]) => {
  const all = runs.flat();
  return `${all.length} in ${runs.length} runs, max ${all.length ? Math.round(Math.max(...all)) : 0} ms`;
};

/** `shown`: the page's own time to its rows (rowsShownAt), for pages with the console's table and pager. */
export type PageMeasures = { cold: number[]; shown: number[]; coldCpu: CpuTally; loadTasks: number[][]; slow: number[] };
