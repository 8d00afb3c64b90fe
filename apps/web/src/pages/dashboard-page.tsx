import type { NodeState } from '@overmind/sdk';
import { Link } from 'react-router';
import { useJobs } from '../api/job-queries.js';
import { useNodeSummary } from '../api/node-queries.js';
import { useProviders } from '../api/provider-queries.js';
import { ErrorNotice } from '../components/error-notice.js';
import { StateBadge } from '../components/state-badge.js';
import { JobTable } from './job-table.js';

const STATES: NodeState[] = ['running', 'pending', 'starting', 'configuring', 'rebooting', 'stopping', 'stopped', 'error', 'unknown'];

/** The overview at `/`: where the nodes are, in what state, how providers sync, what jobs did. */
export function DashboardPage() {
  const providers = useProviders();
  const list = providers.data?.items ?? [];
  const summary = useNodeSummary();
  const byProvider = new Map(summary.data?.byProvider.map((p) => [p.providerId, p.total]));
  const recent = useJobs({ limit: 10 });
  const failed = useJobs({ limit: 10, state: 'failed' });
  return (
    <section>
      <h1>Dashboard</h1>
      <ErrorNotice error={providers.error ?? summary.error ?? recent.error ?? failed.error} />
      <div className="tiles">
        <div className="table-scroll">
          <table aria-labelledby="by-state-title">
            <caption id="by-state-title">Nodes by state</caption>
            <tbody>
              {STATES.map((s) => (
                <tr key={s} data-state={s}><td><StateBadge state={s} /></td><td><Link to={`/nodes?state=${s}`}>{summary.data?.byState[s] ?? '…'}</Link></td></tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="table-scroll">
          <table aria-labelledby="providers-title">
            <caption id="providers-title">Providers</caption>
            <thead><tr><th scope="col">Provider</th><th scope="col">Nodes</th><th scope="col">Sync</th><th scope="col">Last sync</th></tr></thead>
            <tbody>
              {list.map((p) => (
                <tr key={p.id}>
                  <td><Link to={`/providers/${p.id}`}>{p.name}</Link></td>
                  <td><Link to={`/nodes?providerId=${p.id}`}>{summary.data ? (byProvider.get(p.id) ?? 0) : '…'}</Link></td>
                  <td><span className={`badge badge-${p.status}`} title={p.statusMessage ?? undefined}>{p.status}</span></td>
                  <td>{p.lastSyncAt ? new Date(p.lastSyncAt).toLocaleString() : 'never'}</td>
                </tr>
              ))}
              {providers.data && list.length === 0 && <tr><td colSpan={4}>No providers yet: <Link to="/providers">add one</Link>.</td></tr>}
            </tbody>
          </table>
        </div>
      </div>
      {failed.data && <JobTable jobs={failed.data.items} caption="Failed jobs" />}
      {recent.data && <JobTable jobs={recent.data.items} caption="Recent jobs" />}
    </section>
  );
}
