/**
 * The console benchmark's ceilings, served by a bare Fastify process (ceilings/bare-fastify.ts) and
 * loaded as the console is: the console's own page copied (the ceiling), and for scale a minimal page
 * with plain DOM calls against the same page rendered by React alone.
 */
import type { ChildProcess } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startScript, stopped } from './bench-support.js';
import { comparableRows, consoleCopyPage, type ConsoleCopy } from './ceilings/console-copy-page.js';
import { buildReactNodesPage, reactNodesPage } from './ceilings/react-nodes-page/build.js';
import { staticNodesPage } from './ceilings/static-nodes-page.js';
import { CpuTally, RUNS, loadNodes, newContext, rowsShownAt, slowNetworkLoads, timed, type PageMeasures } from './web-loads.js';

/** What the console's loads gave the ceilings: the API's answers and the page as it rendered them. */
export interface ConsolePage {
  /** The answers the console got for its first page of nodes and its providers, as the API sent them. */
  answers: { nodes: string; providers: string };
  /** The page as the console rendered it (the ceiling's page). */
  copy: ConsoleCopy;
}

/**
 * The ceilings, cold loads (fresh context each) served by the bare Fastify process: the console's own
 * page copied, its rows written with plain DOM calls (ceilings/console-copy-page.ts: the ceiling); and,
 * for what React alone costs, a minimal page of the rows' text cells written with plain DOM calls
 * (ceilings/static-nodes-page.ts) and the same minimal page rendered by React (ceilings/react-nodes-page).
 */
export async function ceilingMeasures(
  browser: Browser,
  opts: { home: string; dist: string; port: number; side: ConsolePage; children: ChildProcess[] },
): Promise<{ copy: PageMeasures; minimal: PageMeasures; react: PageMeasures }> {
  const { home, dist, port, side, children } = opts;
  const css = (await readdir(join(dist, 'assets'))).find((f) => f.endsWith('.css'));
  const cssHref = css ? `/assets/${css}` : null;
  const reactScripts = await buildReactNodesPage(join(home, 'react-page'));
  const entry = Object.keys(reactScripts).find((f) => f.startsWith('main-'))!;
  const html = (body: string) => ({ type: 'text/html; charset=utf-8', body });
  const files: Record<string, { type: string; body: string }> = {
    '/nodes': html(consoleCopyPage(side.copy, { nodesHref: '/static/nodes.json', providersHref: '/static/providers.json' })),
    '/static/nodes': html(staticNodesPage({ cssHref, jsonHref: '/static/nodes.json' })),
    '/react/nodes': html(reactNodesPage({ cssHref, jsonHref: '/static/nodes.json', scriptHref: `/react/${entry}` })),
    '/static/nodes.json': { type: 'application/json; charset=utf-8', body: side.answers.nodes },
    '/static/providers.json': { type: 'application/json; charset=utf-8', body: side.answers.providers },
    ...Object.fromEntries(Object.entries(reactScripts).map(([f, body]) => [`/react/${f}`, { type: 'text/javascript; charset=utf-8', body }])),
    ...(css ? { [cssHref!]: { type: 'text/css; charset=utf-8', body: await readFile(join(dist, 'assets', css), 'utf8') } } : {}),
  };
  const bodies: Record<string, { type: string; file: string }> = {};
  for (const [i, [url, { type, body }]] of Object.entries(files).entries()) {
    const file = join(home, `static-${i}`);
    await writeFile(file, body);
    bodies[url] = { type, file };
  }
  await writeFile(join(home, 'static-bodies.json'), JSON.stringify(bodies));
  const server = await startScript('./ceilings/bare-fastify.ts', { PORT: String(port), BODIES: join(home, 'static-bodies.json') }, children);
  const measure = async (path: string, opts: { slow: boolean; shown?: boolean; check?: (p: Page) => Promise<void> }): Promise<PageMeasures> => {
    const url = `http://127.0.0.1:${port}${path}`;
    const cold: number[] = [], shown: number[] = [], loadTasks: number[][] = [];
    const coldCpu = new CpuTally({ [process.pid]: 'this benchmark (Playwright)', [server.pid!]: 'the static server' });
    for (let i = 0; i < RUNS; i++) {
      const context = await newContext(browser, '');
      const p = await context.newPage();
      p.setDefaultTimeout(15_000);
      cold.push(await coldCpu.during(() => timed(() => loadNodes(p, url))));
      if (opts.shown) shown.push(await rowsShownAt(p));
      if (i === 0) await opts.check?.(p);
      loadTasks.push(await p.evaluate(() => (globalThis as any).__longTasks as number[]));
      await context.close();
    }
    return { cold, shown, coldCpu, loadTasks, slow: opts.slow ? await slowNetworkLoads(browser, '', url) : [] };
  };
  // The ceiling is the same page only if its rows are the console's, element for element.
  const sameRows = async (p: Page) => {
    const rows = await p.evaluate(() => (globalThis as any).document.querySelector('tbody').innerHTML as string);
    if (comparableRows(rows) !== comparableRows(side.copy.rows)) {
      throw new Error(`the copied page's rows differ from the console's (ceilings/console-copy-page.ts writes the cells that vary per node; a new kind of cell needs its line there):\n${rows.slice(0, 2000)}\n--- the console's:\n${side.copy.rows.slice(0, 2000)}`);
    }
  };
  try {
    return {
      copy: await measure('/nodes', { slow: true, shown: true, check: sameRows }),
      minimal: await measure('/static/nodes', { slow: false }),
      react: await measure('/react/nodes', { slow: false }),
    };
  } finally {
    server.kill('SIGTERM');
    await stopped(server);
  }
}

