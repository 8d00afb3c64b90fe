import type { ListNodesQuery } from '@overmind/sdk';
import { Button, Group, Table, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { HEALTHS, MINIMUMS, nodeQueryOf, SORTS, STATES, WORST_FIRST } from '../api/node-list-query.js';
import { useNodes } from '../api/node-queries.js';
import { useProviders } from '../api/provider-queries.js';
import { hasRole } from '../api/session-store.js';
import { AgentState } from '../components/agent-state.js';
import { BulkNodeActions } from '../components/bulk-node-actions.js';
import { useColumnChoice } from '../components/column-picker.js';
import { EmptyState } from '../components/empty-state.js';
import { NodeRowMenu } from '../components/node-row-menu.js';
import { ErrorNotice } from '../components/error-notice.js';
import { HealthBadge, UsageBar } from '../components/node-readings.js';
import { Pager } from '../components/pager.js';
import { Cell, StripedRow } from '../components/plain-table.js';
import { StateBadge } from '../components/state-badge.js';
import { TagList } from '../components/tag-list.js';
import { useUrlFilters } from '../components/use-url-filters.js';
import { useSession } from '../session-context.js';
import { TableScroll } from '../components/table-scroll.js';
import { RelativeTime } from '../components/relative-time.js';

/** Columns one may hide (the name always shows); `phone: false` ones are left out on a phone's width. */
const COLUMNS = [
  { key: 'state', label: 'State', phone: true },
  { key: 'health', label: 'Health', phone: true },
  { key: 'cpu', label: 'CPU', phone: false },
  { key: 'memory', label: 'Memory', phone: false },
  { key: 'disk', label: 'Disk', phone: false },
  { key: 'agent', label: 'Agent', phone: false },
  { key: 'provider', label: 'Provider', phone: false },
  { key: 'tags', label: 'Tags', phone: false },
  { key: 'addresses', label: 'Addresses', phone: false },
  { key: 'createdAt', label: 'Created', phone: false },
] as const;
type Column = (typeof COLUMNS)[number]['key'];
/** The filters a phone shows behind "More filters" (search and state stay), and the labels they sit in. */
const MORE_FILTERS = ['providerId', 'tag', 'os', 'fact', 'health', 'minCpu', 'minMemory', 'minDisk', 'includeGone'] as const satisfies (keyof ListNodesQuery)[];
const FILTER_IDS = MORE_FILTERS.map((k) => `filter-${k}`).join(' ');
const secondary = (key: Column) => (COLUMNS.find((c) => c.key === key)!.phone ? undefined : 'col-secondary');

/** Filters, sort and page live in the URL, so a view can be bookmarked and Back works. */
function useNodeQuery(): [ListNodesQuery, (patch: Record<string, string>) => void] {
  const [params, update] = useUrlFilters();
  return [nodeQueryOf(params), update];
}

export function NodesPage() {
  const [query, update] = useNodeQuery();
  const nodes = useNodes(query);
  const providers = useProviders();
  const operator = hasRole(useSession(), 'operator');
  // Selected nodes by id, with their names for the confirmation and the summary.
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  // On a phone only search and state show until asked for the rest, so the first rows are on the first screen.
  const [moreFilters, setMoreFilters] = useState(false);
  const rows = nodes.data?.items ?? [];
  const allSelected = rows.length > 0 && rows.every((n) => selected.has(n.id));
  const toggle = (ids: { id: string; name: string }[], on: boolean) => {
    const next = new Map(selected);
    for (const n of ids) (on ? next.set(n.id, n.name) : next.delete(n.id));
    setSelected(next);
  };
  const providerName = (id: string) => providers.data?.items.find((p) => p.id === id)?.name ?? id.slice(0, 8);
  const { shown, picker } = useColumnChoice<Column>('overmind.nodes.columns', COLUMNS);
  const sortHeader = (key: (typeof SORTS)[number], label: string) => {
    if (key !== 'name' && !shown(key as Column)) return null;
    const active = query.sort === key;
    // Health and readings first sort worst / busiest first: what an operator looks for.
    const next = active ? (query.order === 'asc' ? 'desc' : 'asc') : WORST_FIRST.has(key) ? 'desc' : 'asc';
    return (
      <Table.Th scope="col" className={key === 'name' ? undefined : secondary(key as Column)} aria-sort={active ? (query.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button type="button" className="link" onClick={() => update({ sort: key, order: next })}>
          {label}{active ? (query.order === 'asc' ? ' ▲' : ' ▼') : ''}
        </button>
      </Table.Th>
    );
  };
  const plainHeader = (key: Column, label: string) => shown(key) && <Table.Th scope="col" className={secondary(key)}>{label}</Table.Th>;
  const cell = (key: Column, content: React.ReactNode) => shown(key) && <Cell className={secondary(key)}>{content}</Cell>;
  const filtered = ['search', 'state', 'providerId', 'tag', 'os', 'fact', 'health', 'minCpu', 'minMemory', 'minDisk'].some((k) => query[k as keyof ListNodesQuery] !== undefined);
  const moreOn = MORE_FILTERS.filter((k) => query[k] !== undefined).length;
  return (
    <section>
      <Group justify="space-between" mb="sm">
        <Title order={1} size="h2">Nodes</Title>
        {operator && <Button component={Link} to="/nodes/new">Create nodes</Button>}
      </Group>
      <form className={moreFilters ? 'filters filters-open' : 'filters'} role="search" onSubmit={(e) => e.preventDefault()}>
        <label>Search <input type="search" defaultValue={query.search ?? ''} placeholder="name or address" onChange={(e) => update({ search: e.target.value })} /></label>
        <label>State{' '}
          <select value={query.state ?? ''} onChange={(e) => update({ state: e.target.value })}>
            <option value="">any</option>
            {STATES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <button type="button" className="filters-toggle" aria-expanded={moreFilters} aria-controls={FILTER_IDS} onClick={() => setMoreFilters(!moreFilters)}>
          {moreFilters ? 'Fewer filters' : `More filters${moreOn ? ` (${moreOn} on)` : ''}`}
        </button>
        <label className="filter-more" id="filter-providerId">Provider{' '}
          <select value={query.providerId ?? ''} onChange={(e) => update({ providerId: e.target.value })}>
            <option value="">any</option>
            {providers.data?.items.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
        <label className="filter-more" id="filter-tag">Tag <input type="search" defaultValue={query.tag ?? ''} size={12} onChange={(e) => update({ tag: e.target.value.trim() })} /></label>
        <label className="filter-more" id="filter-os">OS <input type="search" defaultValue={query.os ?? ''} size={12} placeholder="debian 12" onChange={(e) => update({ os: e.target.value.trim() })} /></label>
        <label className="filter-more" id="filter-fact">Fact <input type="search" defaultValue={query.fact ?? ''} size={18} placeholder="virtualization.type=kvm" onChange={(e) => update({ fact: e.target.value.trim() })} /></label>
        <label className="filter-more" id="filter-health">Health{' '}
          <select value={query.health ?? ''} onChange={(e) => update({ health: e.target.value })}>
            <option value="">any</option>
            {HEALTHS.map((h) => <option key={h} value={h}>{h}</option>)}
          </select>
        </label>
        {MINIMUMS.map(([key, label]) => (
          <label key={key} className="filter-more" id={`filter-${key}`}>{label} ≥ <input type="number" min={0} max={100} step={5} size={4} className="percent-input" defaultValue={query[key] ?? ''} onChange={(e) => update({ [key]: e.target.value })} /> %</label>
        ))}
        <label className="filter-more" id="filter-includeGone"><input type="checkbox" checked={query.includeGone === true} onChange={(e) => update({ includeGone: e.target.checked ? 'true' : '' })} /> Include destroyed / decommissioned</label>
      </form>
      <ErrorNotice error={nodes.error} />
      {operator && <BulkNodeActions selected={[...selected].map(([id, name]) => ({ id, name }))} onDone={() => setSelected(new Map())} />}
      <Group justify="flex-end" mt="sm">{picker}</Group>
      <TableScroll className="table-scroll table-sticky" label="Nodes">
        <Table captionSide="top" aria-busy={nodes.isFetching} stickyHeader striped>
          <Table.Thead>
            <Table.Tr>
              {operator && <Table.Th scope="col"><input type="checkbox" aria-label="Select all nodes on this page" checked={allSelected} disabled={rows.length === 0} onChange={(e) => toggle(rows, e.target.checked)} /></Table.Th>}
              {sortHeader('name', 'Name')}{sortHeader('state', 'State')}{sortHeader('health', 'Health')}{sortHeader('cpu', 'CPU')}{sortHeader('memory', 'Memory')}{sortHeader('disk', 'Disk')}
              {plainHeader('agent', 'Agent')}{plainHeader('provider', 'Provider')}{plainHeader('tags', 'Tags')}{plainHeader('addresses', 'Addresses')}{sortHeader('createdAt', 'Created')}
              <Table.Th scope="col"><span className="visually-hidden">Actions</span></Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {nodes.data?.items.map((n) => (
              <StripedRow key={n.id} data-node-id={n.id}>
                {operator && <Cell><input type="checkbox" aria-label={`Select ${n.name}`} checked={selected.has(n.id)} onChange={(e) => toggle([n], e.target.checked)} /></Cell>}
                <Cell><Link to={`/nodes/${n.id}`} className="node-name">{n.name}</Link>{n.destroyedAt ? ' (destroyed)' : n.decommissionedAt ? ' (decommissioned)' : ''}</Cell>
                {cell('state', <StateBadge state={n.state} />)}
                {cell('health', <HealthBadge health={n.health} />)}
                {cell('cpu', <UsageBar label="CPU" value={n.readings?.cpu} />)}
                {cell('memory', <UsageBar label="Memory" value={n.readings?.memory} />)}
                {cell('disk', <UsageBar label="Disk" value={n.readings?.disk} detail={n.readings?.diskMount} />)}
                {cell('agent', <AgentState agent={n.agent} />)}
                {cell('provider', providerName(n.providerId))}
                {cell('tags', <TagList tags={n.tags} max={3} />)}
                {cell('addresses', [...n.publicIps, ...n.privateIps].join(', ') || '—')}
                {cell('createdAt', <RelativeTime at={n.createdAt} />)}
                <Cell><NodeRowMenu node={n} /></Cell>
              </StripedRow>
            ))}
            {nodes.data?.items.length === 0 && <Table.Tr><Table.Td colSpan={13}>No nodes match.</Table.Td></Table.Tr>}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {nodes.data?.total === 0 && !filtered && (
        <EmptyState title="No nodes yet" action={operator ? { label: 'Create your first nodes', to: '/nodes/new' } : { label: 'See providers', to: '/providers' }}>
          Nodes come from providers: create some here, or add a provider whose machines Overmind then imports on its first sync.
        </EmptyState>
      )}
      {nodes.data && <Pager page={nodes.data.page} limit={nodes.data.limit} total={nodes.data.total} onPage={(p) => update({ page: String(p) })} />}
    </section>
  );
}
