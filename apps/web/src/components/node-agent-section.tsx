import type { Node } from '@overmind/sdk';
import { Link } from 'react-router';
import { useAgent } from '../api/agent-queries.js';
import { AgentActions } from './agent-actions.js';
import { AgentInstallButton } from './agent-install-button.js';
import { AgentState } from './agent-state.js';
import { ErrorNotice } from './error-notice.js';
import { JoinTokenForm } from './join-token-form.js';
import { RelativeTime } from './relative-time.js';

/**
 * The node's agent: its connection (live from the agent events, through the node), and from the agent
 * itself its host name, version and when it was last heard. Operators can install the agent over SSH
 * (or upgrade it), or make a join token for this node.
 */
export function NodeAgentSection({ node, operator }: { node: Pick<Node, 'id' | 'name' | 'agent' | 'destroyedAt' | 'decommissionedAt'>; operator: boolean }) {
  const agent = useAgent(node.agent?.id);
  const a = agent.data;
  const gone = node.destroyedAt !== null || node.decommissionedAt !== null;
  return (
    <section aria-labelledby="node-agent-title">
      <h2 id="node-agent-title">Agent</h2>
      {node.agent ? (
        <>
          <dl className="facts">
            <dt>State</dt><dd><AgentState agent={node.agent} since="always" /></dd>
            <dt>Agent</dt><dd><Link to={`/agents/${node.agent.id}`}>{a ? `${a.hostname} (${node.agent.id.slice(0, 8)})` : node.agent.id}</Link></dd>
            <dt>Agent version</dt><dd>{a?.agentVersion ?? '…'}</dd>
            <dt>Last seen</dt><dd>{a ? (a.lastSeenAt ? <RelativeTime at={a.lastSeenAt} /> : 'never') : '…'}</dd>
          </dl>
          <ErrorNotice error={agent.error} />
          {operator && a && <AgentActions agent={a} />}
          {operator && !gone && <AgentInstallButton node={node} upgrade />}
        </>
      ) : (
        <>
          <p>No agent: this node is reached over SSH only.</p>
          {operator && !gone && <AgentInstallButton node={node} upgrade={false} />}
          {operator && !gone && <JoinTokenForm node={node} />}
        </>
      )}
    </section>
  );
}
