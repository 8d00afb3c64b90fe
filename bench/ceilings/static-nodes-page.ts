/**
 * A minimal nodes page, for scale beside the React one (react-nodes-page/): one HTML file with the
 * console's stylesheet and a table of the rows' text (8 of the console's 13 cells, links, pager text
 * and search box), whose inline script fetches a static file holding the very answer the console got
 * from the API and writes the rows with plain DOM calls. The console benchmark's ceiling until
 * 2026-12-04; the ceiling is now the console's own page (console-copy-page.ts).
 */
export function staticNodesPage(opts: { cssHref: string | null; jsonHref: string }): string {
  const css = opts.cssHref ? `<link rel="stylesheet" href="${opts.cssHref}">` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Nodes (static)</title>${css}</head>
<body><main><section>
<h1>Nodes</h1>
<form><label>Search <input type="search" placeholder="name or address"></label></form>
<div class="table-scroll"><table><thead><tr><th scope="col"></th><th scope="col">Name</th><th scope="col">State</th><th scope="col">Agent</th>
<th scope="col">Provider</th><th scope="col">Tags</th><th scope="col">Addresses</th><th scope="col">Created</th></tr></thead><tbody></tbody></table></div>
<nav id="pager"></nav>
</section></main>
<script>
fetch(${JSON.stringify(opts.jsonHref)}).then((r) => r.json()).then((page) => {
  const tbody = document.querySelector('tbody');
  const td = (tr, text) => { const c = tr.insertCell(); if (text !== undefined) c.textContent = text; return c; };
  for (const n of page.items) {
    const tr = tbody.insertRow();
    tr.dataset.nodeId = n.id;
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.setAttribute('aria-label', 'Select ' + n.name);
    td(tr).append(box);
    const a = document.createElement('a');
    a.href = '/nodes/' + n.id;
    a.textContent = n.name;
    td(tr).append(a);
    td(tr, n.state);
    td(tr, n.agent ? n.agent.state : 'none');
    td(tr, n.providerId.slice(0, 8));
    td(tr, n.tags.slice(0, 3).join(' '));
    td(tr, [...n.publicIps, ...n.privateIps].join(', ') || '—');
    td(tr, new Date(n.createdAt).toLocaleString());
  }
  const pages = Math.max(1, Math.ceil(page.total / page.limit));
  document.getElementById('pager').innerHTML = '<span>Page ' + page.page + ' of ' + pages + ' (' + page.total + ' total)</span>';
});
</script>
</body></html>
`;
}
