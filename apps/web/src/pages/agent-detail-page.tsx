import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAgent } from '../api/agent-queries.js';
import { hasRole } from '../api/session-store.js';
import { AgentActions } from '../components/agent-actions.js';
import { AgentState } from '../components/agent-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { NodeFacts } from '../components/node-facts.js';
import { NodeLink } from '../components/node-link.js';
import { RelativeTime } from '../components/relative-time.js';
import { StateBadge } from '../components/state-badge.js';
import { useSession } from '../session-context.js';

const when = (at: string | null) => (at ? new Date(at).toLocaleString() : '—');

/** `/agents/:id`: one agent, its node and connection, what it reported of its host, and the decisions on it. */
export function AgentDetailPage() {
  const { id = '' } = useParams();
  const operator = hasRole(useSession(), 'operator');
  const agent = useAgent(id);
  const [done, setDone] = useState('');
  if (agent.error) return <ErrorNotice error={agent.error} />;
  if (!agent.data) return <p aria-busy="true">Loading…</p>;
  const a = agent.data;
  return (
    <section>
      <h1>Agent on {a.hostname} <StateBadge state={a.status} /></h1>
      <p><Link to={`/agents?status=${a.status}`}>All {a.status} agents</Link></p>
      <dl className="facts">
        <dt>Node</dt><dd>{a.nodeId ? <NodeLink id={a.nodeId} /> : 'none yet: waiting for approval'}</dd>
        {a.status === 'active' && <><dt>Connection</dt><dd><AgentState agent={{ id: a.id, state: a.connected ? 'connected' : 'disconnected', since: a.since }} since="always" /></dd></>}
        <dt>Last seen</dt><dd>{a.lastSeenAt ? <RelativeTime at={a.lastSeenAt} /> : 'never'}</dd>
        <dt>Agent version</dt><dd>{a.agentVersion}</dd>
        <dt>Capabilities</dt><dd>{a.capabilities.join(', ') || '—'}</dd>
        <dt>Last run</dt><dd>{a.lastRunId ? <code>{a.lastRunId}</code> : '—'}</dd>
        <dt>Enrolled</dt><dd>{when(a.createdAt)}</dd>
        {a.decidedAt && <><dt>{a.status === 'active' ? 'Approved' : a.status === 'rejected' ? 'Rejected' : a.status === 'revoked' ? 'Revoked' : 'Decided'}</dt><dd>{when(a.decidedAt)}</dd></>}
        <dt>Public key (Ed25519)</dt><dd><code className="long-value">{a.publicKey}</code></dd>
        <dt>Agent id</dt><dd><code>{a.id}</code></dd>
      </dl>
      {done && <p role="status">{done}</p>}
      {operator && <AgentActions agent={a} onDone={setDone} />}
      <NodeFacts facts={a.facts} />
    </section>
  );
}
