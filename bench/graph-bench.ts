/**
 * The 30-day graph drawn in the browser: the node page of the built console in Debian Chromium
 * (Playwright), one series of 1,000 points, against a ceiling measured in the same run: uPlot alone
 * drawing the same points at the same size on a bare page.
 *
 * The API is answered by the page's request routing with fixed JSON (the query's own time is what
 * bench:metrics measures): this measures what the browser does once the answer is in.
 *  - console draw: the chart's `overmind:chart` User Timing measure, from the chart's effect (data in
 *    hand) to uPlot's first draw, including the theme lookup and the canvas set-up;
 *  - click to drawn: from a click on "30 d" to the drawn chart (React, the query cache, data shaping,
 *    uPlot), with the data already cached (the first, fetching, run is reported apart);
 *  - bare uPlot: `new uPlot(options, data, element)` to its first draw hook.
 * Run: npm run bench -- graph (it builds first). Prints a Markdown table.
 */
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { cpus } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, ROOT } from './bench-support.js';

const DIST = join(ROOT, 'apps/web/dist');
const UPLOT = join(ROOT, 'apps/web/node_modules/uplot/dist');
const PORT = 18491;
const BASE = `http://127.0.0.1:${PORT}`;
const POINTS = 1_000;
const RUNS = 15;
const DAY_MS = 86_400_000;
const NODE_ID = '00000000-0000-4000-8000-000000000001';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** The built console as `overmind api` serves it: files from dist, index.html for every other path. */
function serveConsole(): Promise<Server> {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', BASE).pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(DIST, path);
    if (!(await stat(file).catch(() => null))?.isFile()) file = join(DIST, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(PORT, '127.0.0.1', () => resolve(server)));
}

/** One CPU-like series: a daily wave with noise, `POINTS` buckets over the range asked. */
function series(from: number, to: number) {
  const step = (to - from) / POINTS;
  const t: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < POINTS; i++) {
    const at = Math.round(from + i * step);
    t.push(at);
    v.push(Math.round((40 + 30 * Math.sin((at / DAY_MS) * 2 * Math.PI) + 10 * Math.sin(i * 1.7)) * 100) / 100);
  }
  return { t, v, stepSeconds: Math.round(step / 1000) };
}

const NODE = {
  id: NODE_ID, providerId: 'p1', providerNodeId: 'b1', name: 'bench-node', state: 'running', publicIps: [], privateIps: [], imageId: null, sizeId: null,
  locationId: null, extra: {}, tags: [], facts: null, createdBy: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
  destroyedBy: null, destroyedAt: null, decommissionedAt: null, configMode: null, agent: null, health: null, healthSince: null, readings: null,
};
const EMPTY_PAGE = { items: [], page: 1, limit: 20, total: 0 };

/** Answers the console's API calls for one node with one series of history. */
async function routeApi(page: Page): Promise<void> {
  await page.route('**/api/v1/**', async (route) => {
    const url = new URL(route.request().url());
    const json = (body: unknown) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
    const p = url.pathname;
    if (p === '/api/v1/events') return route.fulfill({ status: 200, contentType: 'text/event-stream', body: 'retry: 3600000\n\n' });
    if (p === `/api/v1/nodes/${NODE_ID}`) return json(NODE);
    if (p === `/api/v1/nodes/${NODE_ID}/metrics/series`) return json({ names: ['cpu.total'] });
    if (p === `/api/v1/nodes/${NODE_ID}/metrics`) {
      const from = Date.parse(url.searchParams.get('from')!);
      const to = Date.parse(url.searchParams.get('to')!);
      const { t, v, stepSeconds } = series(from, to);
      return json({ nodeId: NODE_ID, from: new Date(from).toISOString(), to: new Date(to).toISOString(), tier: '1h', stepSeconds, series: [{ name: 'cpu.total', t, v }] });
    }
    if (p === `/api/v1/nodes/${NODE_ID}/checks`) return json({ nodeId: NODE_ID, health: null, healthSince: null, items: [] });
    if (p === '/api/v1/providers/p1') return json({ id: 'p1', name: 'bench', type: 'dummy', status: 'ok' });
    if (p === '/api/v1/provider-types') return json({ items: [] });
    return json(EMPTY_PAGE);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (xs: number[]) => `${median(xs).toFixed(1)} ms (max ${Math.max(...xs).toFixed(1)})`;

/** The `overmind:chart` measures recorded so far, and the drawn chart's point count. */
const chartMeasures = (page: Page) => page.evaluate(() => performance.getEntriesByName('overmind:chart').map((e) => e.duration));

async function consoleRuns(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => (globalThis as any).sessionStorage.setItem('overmind.session', JSON.stringify({ token: 'bench', user: { id: 'u1', username: 'bench', role: 'observer' } })));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await routeApi(page);
  await page.goto(`${BASE}/nodes/${NODE_ID}`);
  const drawn = page.locator('[data-chart="CPU"] [data-drawn-points]');
  await drawn.waitFor({ timeout: 30_000 });

  // The click is made in the page (not through Playwright's input pipeline), so the time is the page's own.
  const clickAndDraw = async (label: string) => {
    const before = (await chartMeasures(page)).length;
    const t0 = await page.evaluate((name) => {
      const button = [...(globalThis as any).document.querySelectorAll('button')].find((b: any) => b.textContent === name);
      const start = performance.now();
      button.click();
      return start;
    }, label);
    await page.waitForFunction((n) => performance.getEntriesByName('overmind:chart').length > n, before);
    const last = await page.evaluate(() => {
      const entries = performance.getEntriesByName('overmind:chart');
      const entry = entries[entries.length - 1]!;
      return { end: entry.startTime + entry.duration, duration: entry.duration };
    });
    return { total: last.end - t0, draw: last.duration };
  };

  const first = await clickAndDraw('30 d');
  const points = Number(await drawn.getAttribute('data-drawn-points'));
  const width = await page.locator('[data-chart="CPU"] canvas').evaluate((c) => (c as any).getBoundingClientRect().width as number);
  const draw: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await clickAndDraw('1 h');
    const run = await clickAndDraw('30 d');
    draw.push(run.draw);
    total.push(run.total);
  }
  const data = await page.evaluate(async (id) => {
    // The points the console drew, to draw the very same on the bare page.
    const to = new Date();
    const res = await fetch(`/api/v1/nodes/${id}/metrics?name=cpu.total&from=${new Date(to.getTime() - 30 * 86_400_000).toISOString()}&to=${to.toISOString()}`);
    const body = (await res.json()) as { series: { t: number[]; v: number[] }[] };
    return body.series[0]!;
  }, NODE_ID);
  await context.close();
  if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
  return { first, draw, total, points, width, data };
}

/** uPlot alone on a blank page: the same points, the same size, one series, the same draw hook. */
async function bareRuns(browser: Browser, width: number, data: { t: number[]; v: number[] }): Promise<number[]> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.setContent('<!doctype html><html><body><div id="chart"></div></body></html>');
  await page.addStyleTag({ path: join(UPLOT, 'uPlot.min.css') });
  await page.addScriptTag({ path: join(UPLOT, 'uPlot.iife.min.js') });
  const times = await page.evaluate(async ({ width, data, runs }) => {
    const uPlot = (globalThis as any).uPlot;
    const w = globalThis as any;
    const el = w.document.getElementById('chart');
    const aligned = [data.t.map((t) => t / 1000), data.v];
    const out: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const start = performance.now();
      const duration = await new Promise<number>((resolve) => {
        const plot = new uPlot({
          width, height: 180, scales: { x: { time: true }, y: { range: [0, 100] } },
          series: [{}, { label: 'total', stroke: '#0b57d0', width: 1.5, points: { show: false } }],
          hooks: { draw: [() => resolve(performance.now() - start)] },
        }, aligned, el);
        (globalThis as any).__plot = plot;
      });
      (globalThis as any).__plot.destroy();
      if (i > 0) out.push(duration); // the first warms the JIT, as the console's first draw did
      await new Promise((r) => w.requestAnimationFrame(() => r(null)));
    }
    return out;
  }, { width, data, runs: RUNS });
  await context.close();
  return times;
}

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/test-prereqs.sh (Debian package chromium)`);
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`no ${DIST}/index.html: build first (npm run bench builds; or bash scripts/pnpm.sh run build)`);
  const server = await serveConsole();
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const run = await consoleRuns(browser);
    const bare = await bareRuns(browser, Math.round(run.width), run.data);
    const ratio = median(run.draw) / median(bare);
    console.log(`\n${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, Chromium ${browser.version()}\n`);
    console.log('| Measure | Result | Target |\n| --- | --- | --- |');
    console.log(`| 30-day graph (${run.points} points, one series, ${Math.round(run.width)} px wide) drawn on the node page, chart effect to first draw (median of ${RUNS}) | ${ms(run.draw)} | < 50 ms |`);
    console.log(`| Ceiling: uPlot alone drawing the same points at the same size on a bare page (median of ${RUNS}) | ${ms(bare)} | |`);
    console.log(`| Console draw / bare uPlot | ${ratio.toFixed(2)}× | |`);
    console.log(`| Click on "30 d" to the drawn graph, data cached (median of ${RUNS}) | ${ms(run.total)} | < 50 ms |`);
    console.log(`| First click on "30 d", fetching the 1,000 points (one run) | ${run.first.total.toFixed(1)} ms | |`);
  } finally {
    await browser?.close().catch(() => undefined);
    server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
