import type { Agent, AgentStatus } from '@overmind/sdk';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useAgents } from '../api/agent-queries.js';
import { hasRole } from '../api/session-store.js';
import { AgentActions } from '../components/agent-actions.js';
import { AgentState } from '../components/agent-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { NodeLink } from '../components/node-link.js';
import { Pager } from '../components/pager.js';
import { RelativeTime } from '../components/relative-time.js';
import { useSession } from '../session-context.js';
import { AgentTokensSection } from './agent-tokens-section.js';
import { TableScroll } from '../components/table-scroll.js';

const TABS: { status: AgentStatus; label: string }[] = [
  { status: 'pending', label: 'Pending' },
  { status: 'active', label: 'Active' },
  { status: 'revoked', label: 'Revoked' },
  { status: 'rejected', label: 'Rejected' },
];
const LIMIT = 50;
type ListedAgent = Omit<Agent, 'facts'>;

const connection = (a: ListedAgent) => ({ id: a.id, state: a.connected ? ('connected' as const) : ('disconnected' as const), since: a.since });
const when = (at: string | null) => (at ? new Date(at).toLocaleString() : '—');

/** The columns each list needs: what an operator decides on (pending), watches (active), or looks back at. */
function AgentRows({ status, agents, operator, onDone }: { status: AgentStatus; agents: ListedAgent[]; operator: boolean; onDone: (message: string) => void }) {
  const name = (a: ListedAgent) => <Link to={`/agents/${a.id}`}>{a.hostname}</Link>;
  if (status === 'pending') {
    return (
      <table aria-label="Pending agents">
        <thead><tr><th scope="col">Host</th><th scope="col">Agent version</th><th scope="col">Enrolled</th>{operator && <th scope="col">Decision</th>}</tr></thead>
        <tbody>
          {agents.map((a) => (
            <tr key={a.id} data-agent-id={a.id}>
              <td>{name(a)}</td><td>{a.agentVersion}</td><td><RelativeTime at={a.createdAt} /></td>
              {operator && <td><AgentActions agent={a} onDone={onDone} /></td>}
            </tr>
          ))}
          {agents.length === 0 && <tr><td colSpan={operator ? 4 : 3}>No agent waits for approval.</td></tr>}
        </tbody>
      </table>
    );
  }
  if (status === 'active') {
    return (
      <table aria-label="Active agents">
        <thead><tr><th scope="col">Host</th><th scope="col">Node</th><th scope="col">Connection</th><th scope="col">Last seen</th><th scope="col">Agent version</th>{operator && <th scope="col"><span className="visually-hidden">Actions</span></th>}</tr></thead>
        <tbody>
          {agents.map((a) => (
            <tr key={a.id} data-agent-id={a.id}>
              <td>{name(a)}</td><td>{a.nodeId ? <NodeLink id={a.nodeId} /> : '—'}</td><td><AgentState agent={connection(a)} /></td>
              <td>{a.lastSeenAt ? <RelativeTime at={a.lastSeenAt} /> : 'never'}</td><td>{a.agentVersion}</td>
              {operator && <td><AgentActions agent={a} onDone={onDone} /></td>}
            </tr>
          ))}
          {agents.length === 0 && <tr><td colSpan={operator ? 6 : 5}>No active agents.</td></tr>}
        </tbody>
      </table>
    );
  }
  return (
    <table aria-label={`${status === 'revoked' ? 'Revoked' : 'Rejected'} agents`}>
      <thead><tr><th scope="col">Host</th><th scope="col">Node</th><th scope="col">{status === 'revoked' ? 'Revoked' : 'Rejected'}</th><th scope="col">Enrolled</th></tr></thead>
      <tbody>
        {agents.map((a) => (
          <tr key={a.id} data-agent-id={a.id}>
            <td>{name(a)}</td><td>{a.nodeId ? <NodeLink id={a.nodeId} /> : '—'}</td><td>{when(a.decidedAt)}</td><td>{when(a.createdAt)}</td>
          </tr>
        ))}
        {agents.length === 0 && <tr><td colSpan={4}>None.</td></tr>}
      </tbody>
    </table>
  );
}

/**
 * `/agents`: the agents by status, in tabs kept in the URL. Pending agents wait for an operator to
 * approve them onto a node or reject them; active ones can be revoked. Operators also manage join
 * tokens here. All of it changes live with the agent events.
 */
export function AgentsPage() {
  const operator = hasRole(useSession(), 'operator');
  const [params, setParams] = useSearchParams();
  const status = TABS.find((t) => t.status === params.get('status'))?.status ?? 'pending';
  const page = Number(params.get('page') ?? 1) || 1;
  const agents = useAgents({ status, page, limit: LIMIT });
  const pending = useAgents({ status: 'pending', limit: 1 });
  const [done, setDone] = useState('');
  const go = (next: Record<string, string>) => setParams(next, { replace: true });
  return (
    <section>
      <h1>Agents</h1>
      <p className="muted">An agent on a node keeps one connection to Overmind: it configures the node (pull mode) and runs commands on it. See docs/agent-protocol.md.</p>
      <nav className="tabs" aria-label="Agents by status">
        {TABS.map((t) => (
          <Link key={t.status} to={`?status=${t.status}`} replace aria-current={t.status === status ? 'page' : undefined} onClick={() => setDone('')}>
            {t.label}{t.status === 'pending' && pending.data ? ` (${pending.data.total})` : ''}
          </Link>
        ))}
      </nav>
      {done && <p role="status">{done}</p>}
      <ErrorNotice error={agents.error} />
      <TableScroll aria-busy={agents.isFetching}>
        {agents.data && <AgentRows status={status} agents={agents.data.items} operator={operator} onDone={setDone} />}
      </TableScroll>
      {agents.data && agents.data.total > LIMIT && <Pager page={agents.data.page} limit={LIMIT} total={agents.data.total} onPage={(p) => go({ status, page: String(p) })} />}
      {operator && <AgentTokensSection />}
    </section>
  );
}
