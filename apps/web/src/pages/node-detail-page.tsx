import { useParams } from 'react-router';
import { lazy, Suspense } from 'react';
import { useJobs } from '../api/job-queries.js';
import { useNode, useRefetchNodeAfterJobs } from '../api/node-queries.js';
import { useProvider, useProviderTypes } from '../api/provider-queries.js';
import { hasRole } from '../api/session-store.js';
import { ErrorNotice } from '../components/error-notice.js';
import { NodeActions } from '../components/node-actions.js';
import { NodeAgentSection } from '../components/node-agent-section.js';
import { NodeChecksSection } from '../components/node-checks-section.js';
import { NodeExtra, NodeFacts } from '../components/node-facts.js';
import { HealthBadge, NodeReadingsSummary } from '../components/node-readings.js';
import { NodeRenameForm } from '../components/node-rename-form.js';
import { NodeRoleSection } from '../components/node-role-section.js';
import { NodeServerSection } from '../components/node-server-section.js';
import { isRegisteredServer } from '../api/dedicated-queries.js';
import { NodeTagsEditor } from '../components/node-tags-editor.js';
import { StateBadge } from '../components/state-badge.js';
import { useSession } from '../session-context.js';
import { JobTable } from './job-table.js';
import { RelativeTime } from '../components/relative-time.js';

// uPlot and the graphs load with the first node page, not with the console.
const NodeGraphs = lazy(() => import('../components/node-graphs.js').then((m) => ({ default: m.NodeGraphs })));

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : null);

export function NodeDetailPage() {
  const { id = '' } = useParams();
  const operator = hasRole(useSession(), 'operator');
  const node = useNode(id);
  const provider = useProvider(node.data?.providerId);
  const types = useProviderTypes();
  const jobs = useJobs({ target: id, limit: 20 });
  useRefetchNodeAfterJobs(id, jobs.data?.items);
  const capabilities = types.data?.items.find((t) => t.kind === provider.data?.type)?.capabilities ?? [];
  if (node.error) return <ErrorNotice error={node.error} />;
  if (!node.data) return <p aria-busy="true">Loading…</p>;
  const n = node.data;
  const gone = when(n.destroyedAt) ?? when(n.decommissionedAt);
  return (
    <section>
      <h1>{n.name} <StateBadge state={n.state} />{n.health && <HealthBadge health={n.health} />}</h1>
      {operator && <NodeRenameForm node={n} />}
      <dl className="facts">
        <dt>Provider</dt><dd>{provider.data?.name ?? n.providerId}</dd>
        <dt>Public addresses</dt><dd>{n.publicIps.join(', ') || '—'}</dd>
        <dt>Private addresses</dt><dd>{n.privateIps.join(', ') || '—'}</dd>
        <dt>Image / size / location</dt><dd>{[n.imageId, n.sizeId, n.locationId].map((v) => v ?? '—').join(' / ')}</dd>
        <dt>Tags</dt><dd><NodeTagsEditor node={n} canEdit={operator} /></dd>
        <dt>Created</dt><dd><RelativeTime at={n.createdAt} /></dd>
        {gone && <><dt>{n.destroyedAt ? 'Destroyed' : 'Decommissioned'}</dt><dd>{gone}</dd></>}
      </dl>
      {operator && provider.data && <NodeActions node={n} capabilities={capabilities} />}
      <NodeReadingsSummary readings={n.readings} />
      <NodeAgentSection node={n} operator={operator} />
      <NodeChecksSection nodeId={n.id} />
      <Suspense fallback={<p aria-busy="true">Loading graphs…</p>}><NodeGraphs nodeId={n.id} /></Suspense>
      {isRegisteredServer(n) && <NodeServerSection node={n} operator={operator} />}
      <NodeRoleSection node={n} operator={operator} />
      <NodeFacts facts={n.facts} />
      <NodeExtra extra={n.extra} />
      <h2>Jobs</h2>
      <ErrorNotice error={jobs.error} />
      {jobs.data && <JobTable jobs={jobs.data.items} />}
    </section>
  );
}
