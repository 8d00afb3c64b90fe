// The same first rows as the static page, rendered by React alone (no router, no query cache, no component library).
import { createElement as h, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

function Row({ n }) {
  return h('tr', { 'data-node-id': n.id },
    h('td', null, h('input', { type: 'checkbox', 'aria-label': `Select ${n.name}` })),
    h('td', null, h('a', { href: `/nodes/${n.id}` }, n.name)),
    h('td', null, n.state),
    h('td', null, n.agent ? n.agent.state : 'none'),
    h('td', null, n.providerId.slice(0, 8)),
    h('td', null, n.tags.slice(0, 3).join(' ')),
    h('td', null, [...n.publicIps, ...n.privateIps].join(', ') || '—'),
    h('td', null, new Date(n.createdAt).toLocaleString()));
}

function NodesPage({ jsonHref }) {
  const [page, setPage] = useState(null);
  const [search, setSearch] = useState('');
  useEffect(() => { fetch(jsonHref).then((r) => r.json()).then(setPage); }, [jsonHref]);
  const columns = ['', 'Name', 'State', 'Agent', 'Provider', 'Tags', 'Addresses', 'Created'];
  return h('main', null, h('section', null,
    h('h1', null, 'Nodes'),
    h('form', null, h('label', null, 'Search ', h('input', { type: 'search', placeholder: 'name or address', value: search, onChange: (e) => setSearch(e.target.value) }))),
    h('div', { className: 'table-scroll' }, h('table', null,
      h('thead', null, h('tr', null, columns.map((c, i) => h('th', { key: i, scope: 'col' }, c)))),
      h('tbody', null, page?.items.map((n) => h(Row, { key: n.id, n }))))),
    h('nav', null, page && h('span', null, `Page ${page.page} of ${Math.max(1, Math.ceil(page.total / page.limit))} (${page.total} total)`))));
}

createRoot(document.getElementById('root')).render(h(NodesPage, { jsonHref: document.getElementById('root').dataset.json }));
