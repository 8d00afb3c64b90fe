import { Link } from 'react-router';
import { useNodes } from '../api/node-queries.js';
import { ErrorNotice } from './error-notice.js';
import { HealthBadge, UsageBar } from './node-readings.js';
import { TableScroll } from './table-scroll.js';

const TOP = 5;
const MEASURES = [
  { sort: 'cpu', label: 'CPU', value: (r: { cpu: number | null }) => r.cpu },
  { sort: 'memory', label: 'Memory', value: (r: { memory: number }) => r.memory },
  { sort: 'disk', label: 'Disk', value: (r: { disk: number | null }) => r.disk },
] as const;

function Busiest({ measure }: { measure: (typeof MEASURES)[number] }) {
  // A node list page like any other: the readings events keep its bars live.
  const nodes = useNodes({ sort: measure.sort, order: 'desc', limit: TOP });
  const id = `busiest-${measure.sort}`;
  const rows = nodes.data?.items.filter((n) => n.readings) ?? [];
  return (
    <TableScroll>
      <ErrorNotice error={nodes.error} />
      <table aria-labelledby={id} data-busiest={measure.sort}>
        <caption id={id}>Busiest by {measure.label.toLowerCase()} <Link to={`/nodes?sort=${measure.sort}&order=desc`} className="muted">all</Link></caption>
        <tbody>
          {rows.map((n) => (
            <tr key={n.id} data-node-id={n.id}>
              <td><Link to={`/nodes/${n.id}`}>{n.name}</Link></td>
              <td><UsageBar label={measure.label} value={measure.value(n.readings!)} detail={measure.sort === 'disk' ? n.readings!.diskMount : undefined} /></td>
              <td><HealthBadge health={n.health} /></td>
            </tr>
          ))}
          {nodes.data && rows.length === 0 && <tr><td colSpan={3} className="muted">No readings yet.</td></tr>}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The fleet at a glance: the nodes working hardest right now, by CPU, memory and disk. */
export function BusiestNodes() {
  return (
    <section aria-label="Busiest nodes" className="tiles">
      {MEASURES.map((m) => <Busiest key={m.sort} measure={m} />)}
    </section>
  );
}
