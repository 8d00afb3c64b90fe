import type { Node } from '@overmind/sdk';
import { useState } from 'react';
import { useNodes } from '../api/node-queries.js';

const SHOWN = 50;
type Picked = Pick<Node, 'id' | 'name'>;
const address = (n: Picked | Node) => ('publicIps' in n ? (n.publicIps[0] ?? n.privateIps[0]) : undefined);

/**
 * Picks one node out of thousands: a search box (name or address, as on the node list) narrowing a
 * select of the first matches. The chosen node stays an option while the search changes.
 */
export function NodePicker(props: { id: string; label: string; value: Picked | null; onChange: (node: Picked | null) => void; emptyLabel?: string; required?: boolean }) {
  const { id, label, value, onChange, emptyLabel = '— choose a node —', required = false } = props;
  const [search, setSearch] = useState('');
  const nodes = useNodes({ limit: SHOWN, sort: 'name', order: 'asc', ...(search.trim() ? { search: search.trim() } : {}) });
  const items = nodes.data?.items ?? [];
  const options = value && !items.some((n) => n.id === value.id) ? [value, ...items] : items;
  const total = nodes.data?.total ?? 0;
  return (
    <div className="field node-picker">
      <label htmlFor={`${id}-search`}>Find a node</label>
      <input id={`${id}-search`} type="search" placeholder="name or address" value={search} autoComplete="off" onChange={(e) => setSearch(e.target.value)} />
      <label htmlFor={id}>{label}{required ? ' *' : ''}</label>
      <select id={id} required={required} value={value?.id ?? ''} aria-busy={nodes.isFetching}
        aria-describedby={`${id}-count`}
        onChange={(e) => onChange(options.find((n) => n.id === e.target.value) ?? null)}>
        <option value="">{emptyLabel}</option>
        {options.map((n) => <option key={n.id} value={n.id}>{n.name}{address(n) ? ` (${address(n)})` : ''}</option>)}
      </select>
      <small id={`${id}-count`}>{nodes.data ? (total > SHOWN ? `The first ${SHOWN} of ${total} matches: search to narrow them.` : `${total} ${total === 1 ? 'match' : 'matches'}.`) : 'Loading nodes…'}</small>
    </div>
  );
}
