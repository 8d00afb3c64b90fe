import type { Agent, Node } from '@overmind/sdk';
import { useState, type FormEvent } from 'react';
import { useApproveAgent, useRejectAgent, useRevokeAgent } from '../api/agent-queries.js';
import { ConfirmButton } from './confirm-button.js';
import { ErrorNotice } from './error-notice.js';
import { NodePicker } from './node-picker.js';

/**
 * Runs `then` once the decision is made. Not `mutate`'s onSuccess: the row holding these buttons leaves
 * its list when the lists refresh, and callbacks of an unmounted mutation never run. A failure shows
 * through the mutation's error.
 */
const settled = (pending: Promise<unknown>, then: () => void) => void pending.then(then, () => {});

type Picked = Pick<Node, 'id' | 'name'> & Partial<Pick<Node, 'agent'>>;
type AgentLike = Pick<Agent, 'id' | 'hostname' | 'status'>;

/** Approve onto a node (picked from a search), or reject: what an operator decides for a pending agent. */
function PendingActions({ agent, onDone }: { agent: AgentLike; onDone: (message: string) => void }) {
  const approve = useApproveAgent();
  const reject = useRejectAgent();
  const [choosing, setChoosing] = useState(false);
  const [node, setNode] = useState<Picked | null>(null);
  if (!choosing) {
    return (
      <div className="actions">
        <button type="button" className="primary" onClick={() => setChoosing(true)}>Approve…</button>
        <ConfirmButton label="Reject" danger disabled={reject.isPending}
          question={<>Reject the agent on <strong>{agent.hostname}</strong>? It is refused from then on; the host needs a new token to try again.</>}
          onConfirm={() => settled(reject.mutateAsync(agent.id), () => onDone(`Agent on ${agent.hostname} rejected.`))} />
        <ErrorNotice error={reject.error} />
      </div>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (node) settled(approve.mutateAsync({ id: agent.id, nodeId: node.id }), () => onDone(`Agent on ${agent.hostname} approved as the agent of ${node.name}.`));
  };
  return (
    <form className="inline-form approve-form" onSubmit={submit} aria-label={`Approve the agent on ${agent.hostname}`}>
      <NodePicker id={`approve-${agent.id}`} label="Node" value={node} onChange={setNode} required />
      {node?.agent && <small className="field-error">{node.name} has an agent: approving this one revokes it.</small>}
      <button type="submit" className="primary" disabled={!node || approve.isPending}>Approve</button>
      <button type="button" onClick={() => setChoosing(false)}>Cancel</button>
      <ErrorNotice error={approve.error} />
    </form>
  );
}

/** The decisions an operator can take on an agent in its status: approve or reject while pending, revoke while active. */
export function AgentActions({ agent, onDone = () => {} }: { agent: AgentLike; onDone?: (message: string) => void }) {
  const revoke = useRevokeAgent();
  if (agent.status === 'pending') return <PendingActions agent={agent} onDone={onDone} />;
  if (agent.status !== 'active') return null;
  return (
    <div className="actions">
      <ConfirmButton label="Revoke" danger disabled={revoke.isPending}
        question={<>Revoke the agent on <strong>{agent.hostname}</strong>? Its connection is closed at once and it is refused from then on.</>}
        onConfirm={() => settled(revoke.mutateAsync(agent.id), () => onDone(`Agent on ${agent.hostname} revoked.`))} />
      <ErrorNotice error={revoke.error} />
    </div>
  );
}
