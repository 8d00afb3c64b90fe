/**
 * The console benchmark's ceiling: the console's own nodes page, as the console rendered it (the
 * same document: shell, filters, table, Mantine's style elements and stylesheet), saved once from a
 * cold load and served as static HTML, whose inline script fetches static files holding the very
 * answers the console got from the API and writes the same rows with plain DOM calls (a clone of
 * the console's first row, its values set per node). No framework, no router, no API.
 */
import type { Page } from 'playwright-core';

export type ConsoleCopy = {
  /** The console's document, without its scripts, the table's rows and the pager's text. */
  html: string;
  /** The console's first row, the template of every row. */
  row: string;
  /** The console's rows, to check the copy's against. */
  rows: string;
  /** The state badges' colours on the page, by state. */
  colors: Record<string, string>;
};

/** Saves the nodes page the console shows in `page` (loaded, rows in). */
export async function copyConsolePage(page: Page): Promise<ConsoleCopy> {
  // A string, not a function: tsx's helpers are not defined in the page.
  return JSON.parse(await page.evaluate(`(() => {
    const doc = document.documentElement.cloneNode(true);
    for (const e of doc.querySelectorAll('script, link[rel="modulepreload"], meta[name="style-nonce"]')) e.remove();
    const tbody = doc.querySelector('tbody');
    const row = tbody.rows[0].outerHTML;
    tbody.replaceChildren();
    const pager = doc.querySelector('nav.pager span');
    pager.textContent = '';
    pager.id = 'copy-pager';
    const colors = {};
    for (const b of document.querySelectorAll('tbody .state-badge')) colors[b.dataset.state] = b.dataset.color;
    return JSON.stringify({ html: '<!doctype html>' + doc.outerHTML, row, rows: document.querySelector('tbody').innerHTML, colors });
  })()`) as string) as ConsoleCopy;
}

/** What two pages' rows must share: everything but the relative times' words, which change with the clock. */
export const comparableRows = (html: string) => html.replace(/(<time\b[^>]*>)[^<]*(<\/time>)/g, '$1$2');

/** The copy as a page: the rows and the pager's text written from `nodesHref` and `providersHref`. */
export function consoleCopyPage(copy: ConsoleCopy, opts: { nodesHref: string; providersHref: string }): string {
  // The console's own formats (components/relative-time.tsx) for the Created column.
  const script = `<template id="copy-row">${copy.row}</template>
<script>
const tpl = document.getElementById('copy-row').content.firstElementChild;
const heads = [...document.querySelectorAll('thead th')].map((th) => th.textContent.trim());
const column = (name) => heads.findIndex((t) => t.startsWith(name));
const PROVIDER = column('Provider'), ADDRESSES = column('Addresses');
const COLORS = ${JSON.stringify(copy.colors)};
const FORMAT = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const EXACT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const UNITS = [['day', 86400], ['hour', 3600], ['minute', 60]];
const relative = (iso, now) => {
  const seconds = (Date.parse(iso) - now) / 1000;
  if (Math.abs(seconds) < 60) return 'just now';
  const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s);
  return FORMAT.format(Math.round(seconds / size), unit);
};
const json = (href) => fetch(href).then((r) => r.json());
Promise.all([json(${JSON.stringify(opts.nodesHref)}), json(${JSON.stringify(opts.providersHref)})]).then(([page, providers]) => {
  const names = new Map(providers.items.map((p) => [p.id, p.name]));
  const tbody = document.querySelector('tbody');
  const now = Date.now();
  for (const n of page.items) {
    const tr = tpl.cloneNode(true);
    tr.dataset.nodeId = n.id;
    tr.querySelector('input[type="checkbox"]').setAttribute('aria-label', 'Select ' + n.name);
    const a = tr.querySelector('a');
    a.setAttribute('href', '/nodes/' + n.id);
    a.textContent = n.name;
    const badge = tr.querySelector('.state-badge');
    badge.dataset.state = n.state;
    badge.dataset.color = COLORS[n.state];
    badge.firstElementChild.textContent = n.state;
    tr.cells[PROVIDER].textContent = names.get(n.providerId) ?? n.providerId.slice(0, 8);
    tr.cells[ADDRESSES].textContent = [...n.publicIps, ...n.privateIps].join(', ') || '—';
    const time = tr.querySelector('time');
    time.setAttribute('datetime', n.createdAt);
    time.title = EXACT.format(new Date(n.createdAt));
    time.textContent = relative(n.createdAt, now);
    tr.querySelector('button').setAttribute('aria-label', 'Actions for ' + n.name);
    tbody.append(tr);
  }
  const pages = Math.max(1, Math.ceil(page.total / page.limit));
  document.getElementById('copy-pager').textContent = 'Page ' + page.page + ' of ' + pages + ' (' + page.total + ' total)';
});
</script>`;
  return copy.html.replace(/<\/body>/, `${script}</body>`);
}
