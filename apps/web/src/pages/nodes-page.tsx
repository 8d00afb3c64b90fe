import type { ListNodesQuery, NodeState } from '@overmind/sdk';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useNodes } from '../api/node-queries.js';
import { useProviders } from '../api/provider-queries.js';
import { hasRole } from '../api/session-store.js';
import { BulkNodeActions } from '../components/bulk-node-actions.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Pager } from '../components/pager.js';
import { StateBadge } from '../components/state-badge.js';
import { TagList } from '../components/tag-list.js';
import { useSession } from '../session-context.js';

const STATES: NodeState[] = ['running', 'starting', 'stopping', 'stopped', 'rebooting', 'pending', 'configuring', 'terminated', 'error', 'unknown'];
const SORTS = ['name', 'createdAt', 'updatedAt', 'state'] as const;
const LIMIT = 50;

/** Filters, sort and page live in the URL, so a view can be bookmarked and Back works. */
function useNodeQuery(): [ListNodesQuery, (patch: Record<string, string>) => void] {
  const [params, setParams] = useSearchParams();
  const sort = SORTS.find((s) => s === params.get('sort')) ?? 'name';
  const query: ListNodesQuery = {
    page: Number(params.get('page') ?? 1) || 1,
    limit: LIMIT,
    sort,
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
    ...(params.get('search') ? { search: params.get('search')! } : {}),
    ...(params.get('state') ? { state: params.get('state') as NodeState } : {}),
    ...(params.get('providerId') ? { providerId: params.get('providerId')! } : {}),
    ...(params.get('tag') ? { tag: params.get('tag')! } : {}),
    ...(params.get('includeGone') === 'true' ? { includeGone: true } : {}),
  };
  const update = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) (v ? next.set(k, v) : next.delete(k));
    if (!('page' in patch)) next.delete('page');
    setParams(next, { replace: true });
  };
  return [query, update];
}

export function NodesPage() {
  const [query, update] = useNodeQuery();
  const nodes = useNodes(query);
  const providers = useProviders();
  const operator = hasRole(useSession(), 'operator');
  // Selected nodes by id, with their names for the confirmation and the summary.
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  const rows = nodes.data?.items ?? [];
  const allSelected = rows.length > 0 && rows.every((n) => selected.has(n.id));
  const toggle = (ids: { id: string; name: string }[], on: boolean) => {
    const next = new Map(selected);
    for (const n of ids) (on ? next.set(n.id, n.name) : next.delete(n.id));
    setSelected(next);
  };
  const providerName = (id: string) => providers.data?.items.find((p) => p.id === id)?.name ?? id.slice(0, 8);
  const sortHeader = (key: (typeof SORTS)[number], label: string) => {
    const active = query.sort === key;
    const next = active && query.order === 'asc' ? 'desc' : 'asc';
    return (
      <th scope="col" aria-sort={active ? (query.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button type="button" className="link" onClick={() => update({ sort: key, order: next })}>
          {label}{active ? (query.order === 'asc' ? ' ▲' : ' ▼') : ''}
        </button>
      </th>
    );
  };
  return (
    <section>
      <h1>Nodes {operator && <Link to="/nodes/new" className="button">Create nodes</Link>}</h1>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>Search <input type="search" defaultValue={query.search ?? ''} placeholder="name or address" onChange={(e) => update({ search: e.target.value })} /></label>
        <label>State{' '}
          <select value={query.state ?? ''} onChange={(e) => update({ state: e.target.value })}>
            <option value="">any</option>
            {STATES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>Provider{' '}
          <select value={query.providerId ?? ''} onChange={(e) => update({ providerId: e.target.value })}>
            <option value="">any</option>
            {providers.data?.items.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
        <label>Tag <input type="search" defaultValue={query.tag ?? ''} size={12} onChange={(e) => update({ tag: e.target.value.trim() })} /></label>
        <label><input type="checkbox" checked={query.includeGone === true} onChange={(e) => update({ includeGone: e.target.checked ? 'true' : '' })} /> Include destroyed / decommissioned</label>
      </form>
      <ErrorNotice error={nodes.error} />
      {operator && <BulkNodeActions selected={[...selected].map(([id, name]) => ({ id, name }))} onDone={() => setSelected(new Map())} />}
      <div className="table-scroll">
        <table aria-busy={nodes.isFetching}>
          <thead>
            <tr>
              {operator && <th scope="col"><input type="checkbox" aria-label="Select all nodes on this page" checked={allSelected} disabled={rows.length === 0} onChange={(e) => toggle(rows, e.target.checked)} /></th>}
              {sortHeader('name', 'Name')}{sortHeader('state', 'State')}<th scope="col">Provider</th><th scope="col">Tags</th><th scope="col">Addresses</th>{sortHeader('createdAt', 'Created')}</tr>
          </thead>
          <tbody>
            {nodes.data?.items.map((n) => (
              <tr key={n.id} data-node-id={n.id}>
                {operator && <td><input type="checkbox" aria-label={`Select ${n.name}`} checked={selected.has(n.id)} onChange={(e) => toggle([n], e.target.checked)} /></td>}
                <td><Link to={`/nodes/${n.id}`}>{n.name}</Link>{n.destroyedAt ? ' (destroyed)' : n.decommissionedAt ? ' (decommissioned)' : ''}</td>
                <td><StateBadge state={n.state} /></td>
                <td>{providerName(n.providerId)}</td>
                <td><TagList tags={n.tags} max={3} /></td>
                <td>{[...n.publicIps, ...n.privateIps].join(', ') || '—'}</td>
                <td>{new Date(n.createdAt).toLocaleString()}</td>
              </tr>
            ))}
            {nodes.data?.items.length === 0 && <tr><td colSpan={operator ? 7 : 6}>No nodes match.</td></tr>}
          </tbody>
        </table>
      </div>
      {nodes.data && <Pager page={nodes.data.page} limit={nodes.data.limit} total={nodes.data.total} onPage={(p) => update({ page: String(p) })} />}
    </section>
  );
}
