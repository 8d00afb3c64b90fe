import type { Capability, Node } from '@overmind/sdk';
import { useNavigate } from 'react-router';
import { useNodeAction, type NodeAction } from '../api/node-queries.js';
import { ConfirmButton } from './confirm-button.js';
import { ErrorNotice } from './error-notice.js';

const ACTIONS: { action: NodeAction; capability: Capability; label: string; danger?: boolean }[] = [
  { action: 'reboot', capability: 'rebootNode', label: 'Reboot' },
  { action: 'start', capability: 'startNode', label: 'Start' },
  { action: 'stop', capability: 'stopNode', label: 'Stop' },
  { action: 'destroy', capability: 'destroyNode', label: 'Destroy', danger: true },
];

/** The power actions the node's provider offers, each confirmed first; destroy opens its job. */
export function NodeActions({ node, capabilities }: { node: Node; capabilities: Capability[] }) {
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
