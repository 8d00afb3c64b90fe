import type { Alert, AlertState } from '@overmind/sdk';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useAcknowledgeAlert, useAlerts } from '../api/alert-queries.js';
import { hasRole } from '../api/session-store.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Pager } from '../components/pager.js';
import { RelativeTime } from '../components/relative-time.js';
import { StateBadge } from '../components/state-badge.js';
import { useSession } from '../session-context.js';
import { TableScroll } from '../components/table-scroll.js';

const TABS: { state: AlertState | 'all'; label: string }[] = [
  { state: 'firing', label: 'Firing' },
  { state: 'resolved', label: 'Resolved' },
  { state: 'all', label: 'All' },
];
const LIMIT = 50;

function AcknowledgeButton({ alert, onDone }: { alert: Alert; onDone: (message: string) => void }) {
  const ack = useAcknowledgeAlert();
  return (
    <>
      <button type="button" disabled={ack.isPending} onClick={() => ack.mutate(alert.id, { onSuccess: () => onDone(`Acknowledged ${alert.ruleName} on ${alert.nodeName}.`) })}>
        Acknowledge
      </button>
      <ErrorNotice error={ack.error} />
    </>
  );
}

/**
 * `/alerts`: what the alert rules raised, firing first. Live: every alert event refetches the list.
 * Operators acknowledge an alert to say someone is on it.
 */
export function AlertsPage() {
  const operator = hasRole(useSession(), 'operator');
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((t) => t.state === params.get('state'))?.state ?? 'firing';
  const page = Number(params.get('page') ?? 1) || 1;
  const alerts = useAlerts({ page, limit: LIMIT, ...(tab === 'all' ? {} : { state: tab }) });
  const [done, setDone] = useState('');
  return (
    <section>
      <h1>Alerts</h1>
      <p className="muted">Raised by the <Link to="/alerts/rules">alert rules</Link>: a check state or a reading over a threshold, held for a while. Firing and resolving are sent to each rule's webhook and e-mail.</p>
      <nav className="tabs" aria-label="Alerts by state">
        {TABS.map((t) => (
          <Link key={t.state} to={`?state=${t.state}`} replace aria-current={t.state === tab ? 'page' : undefined} onClick={() => setDone('')}>{t.label}</Link>
        ))}
      </nav>
      {done && <p role="status">{done}</p>}
      <ErrorNotice error={alerts.error} />
      <TableScroll aria-busy={alerts.isFetching}>
        {alerts.data && (
          <table aria-label="Alerts">
            <thead><tr><th scope="col">State</th><th scope="col">Node</th><th scope="col">Rule</th><th scope="col">What</th><th scope="col">Since</th><th scope="col">Acknowledged</th></tr></thead>
            <tbody>
              {alerts.data.items.map((a) => (
                <tr key={a.id} data-alert-id={a.id}>
                  <td><StateBadge state={a.state} /></td>
                  <td><Link to={`/nodes/${a.nodeId}`}>{a.nodeName}</Link></td>
                  <td>{a.ruleName}</td>
                  <td>{a.summary}</td>
                  <td>{a.state === 'firing' ? <RelativeTime at={String(a.firedAt)} /> : <>resolved <RelativeTime at={String(a.resolvedAt)} /></>}</td>
                  <td>
                    {a.acknowledgedAt ? <>yes, <RelativeTime at={String(a.acknowledgedAt)} /></>
                      : operator ? <AcknowledgeButton alert={a} onDone={setDone} /> : 'no'}
                  </td>
                </tr>
              ))}
              {alerts.data.items.length === 0 && <tr><td colSpan={6}>{tab === 'firing' ? 'Nothing is firing.' : 'No alerts.'}</td></tr>}
            </tbody>
          </table>
        )}
      </TableScroll>
      {alerts.data && alerts.data.total > LIMIT && <Pager page={alerts.data.page} limit={LIMIT} total={alerts.data.total} onPage={(p) => setParams({ state: tab, page: String(p) }, { replace: true })} />}
    </section>
  );
}
