import type { Node } from '@overmind/sdk';
import { OvermindApiError } from '@overmind/sdk';
import { Link } from 'react-router';
import { useBulkNodeAction, type BulkAction, type BulkOutcome } from '../api/node-bulk-queries.js';
import { ConfirmButton } from './confirm-button.js';

const ACTIONS: { action: BulkAction; label: string; danger?: boolean }[] = [
  { action: 'reboot', label: 'Reboot' },
  { action: 'destroy', label: 'Destroy', danger: true },
];

const plural = (n: number) => `${n} node${n === 1 ? '' : 's'}`;

function Summary({ outcomes }: { outcomes: BulkOutcome[] }) {
  const failed = outcomes.filter((o) => !o.ok);
  return (
    <div role="status" className={failed.length ? 'error-notice' : 'card'} aria-label="Bulk action summary">
      <strong>{outcomes.length - failed.length} succeeded, {failed.length} failed.</strong>
      <ul>
        {outcomes.map((o) => (
          <li key={o.node.id}>
            {o.node.name}:{' '}
            {o.ok ? (
              <>job <Link to={`/jobs/${o.job.id}`}>{o.job.type}</Link> queued{o.requestId && <> (request id <code>{o.requestId}</code>)</>}</>
            ) : (
              <>{o.error instanceof OvermindApiError ? `${o.error.detail} (${o.error.status})` : String(o.error)}{o.error instanceof OvermindApiError && o.error.requestId && <> (request id <code>{o.error.requestId}</code>)</>}</>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Reboot or destroy the selected nodes, one request each, after a confirmation naming the count. */
export function BulkNodeActions({ selected, onDone }: { selected: Pick<Node, 'id' | 'name'>[]; onDone: () => void }) {
  const bulk = useBulkNodeAction();
  return (
    <div className="actions" aria-label="Bulk actions" role="group">
      <span>{selected.length} selected</span>
      {ACTIONS.map(({ action, label, danger }) => (
        <ConfirmButton
          key={action}
          label={`${label} selected`}
          danger={danger}
          disabled={selected.length === 0 || bulk.isPending}
          question={<>{label} <strong>{plural(selected.length)}</strong>?</>}
          onConfirm={() => bulk.mutate({ action, nodes: selected }, { onSuccess: onDone })}
        />
      ))}
      {selected.length > 0 && <Link to={`/commands?nodes=${selected.map((n) => n.id).join(',')}`}>Run a command on them</Link>}
      {bulk.isPending && <span aria-busy="true">Sending {plural(selected.length)}…</span>}
      {bulk.data && <Summary outcomes={bulk.data} />}
    </div>
  );
}
