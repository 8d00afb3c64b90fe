import type { Capability, Node } from '@overmind/sdk';
import { useNavigate, useParams } from 'react-router';
import { useJobs } from '../api/job-queries.js';
import { useNode, useNodeAction, type NodeAction } from '../api/node-queries.js';
import { useProvider, useProviderTypes } from '../api/provider-queries.js';
import { hasRole } from '../api/session-store.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { ErrorNotice } from '../components/error-notice.js';
import { StateBadge } from '../components/state-badge.js';
import { useSession } from '../session-context.js';
import { JobTable } from './job-table.js';

const ACTIONS: { action: NodeAction; capability: Capability; label: string; danger?: boolean }[] = [
  { action: 'reboot', capability: 'rebootNode', label: 'Reboot' },
  { action: 'start', capability: 'startNode', label: 'Start' },
  { action: 'stop', capability: 'stopNode', label: 'Stop' },
  { action: 'destroy', capability: 'destroyNode', label: 'Destroy', danger: true },
];

function NodeActions({ node, capabilities }: { node: Node; capabilities: Capability[] }) {
  const navigate = useNavigate();
  const mutations = { reboot: useNodeAction('reboot'), start: useNodeAction('start'), stop: useNodeAction('stop'), destroy: useNodeAction('destroy') };
  const error = Object.values(mutations).find((m) => m.error)?.error;
  const pending = Object.values(mutations).some((m) => m.isPending);
  const allowed = ACTIONS.filter((a) => capabilities.includes(a.capability));
  if (allowed.length === 0) return <p>This provider offers no power actions.</p>;
  return (
    <div className="actions">
      {allowed.map(({ action, label, danger }) => (
        <ConfirmButton
          key={action}
          label={label}
          danger={danger}
          disabled={pending || node.destroyedAt !== null}
          question={<>{label} <strong>{node.name}</strong>?</>}
          onConfirm={() => mutations[action].mutate(node, { onSuccess: (job) => { if (action === 'destroy') void navigate(`/jobs/${job.id}`); } })}
        />
      ))}
      <ErrorNotice error={error} />
    </div>
  );
}

export function NodeDetailPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const node = useNode(id);
  const provider = useProvider(node.data?.providerId);
  const types = useProviderTypes();
  const jobs = useJobs({ target: id, limit: 20 });
  const capabilities = types.data?.items.find((t) => t.kind === provider.data?.type)?.capabilities ?? [];
  if (node.error) return <ErrorNotice error={node.error} />;
  if (!node.data) return <p aria-busy="true">Loading…</p>;
  const n = node.data;
  return (
    <section>
      <h1>{n.name} <StateBadge state={n.state} /></h1>
      <dl className="facts">
        <dt>Provider</dt><dd>{provider.data?.name ?? n.providerId}</dd>
        <dt>Public addresses</dt><dd>{n.publicIps.join(', ') || '—'}</dd>
        <dt>Private addresses</dt><dd>{n.privateIps.join(', ') || '—'}</dd>
        <dt>Image / size / location</dt><dd>{[n.imageId, n.sizeId, n.locationId].map((v) => v ?? '—').join(' / ')}</dd>
        <dt>Tags</dt><dd>{n.tags.join(', ') || '—'}</dd>
        <dt>Created</dt><dd>{new Date(n.createdAt).toLocaleString()}</dd>
      </dl>
      {hasRole(session, 'operator') && provider.data && <NodeActions node={n} capabilities={capabilities} />}
      <h2>Jobs</h2>
      <ErrorNotice error={jobs.error} />
      {jobs.data && <JobTable jobs={jobs.data.items} />}
    </section>
  );
}
