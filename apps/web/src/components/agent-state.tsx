import type { NodeAgent } from '@overmind/sdk';
import { RelativeTime } from './relative-time.js';

/**
 * A node's agent at a glance: connected, disconnected (since when), pending, or none. `since` also for
 * a connected agent where there is room (the node page).
 */
export function AgentState({ agent, since = 'disconnected' }: { agent: NodeAgent | null; since?: 'disconnected' | 'always' }) {
  if (!agent) return <span className="muted" data-agent-state="none">none</span>;
  const showSince = agent.since && (since === 'always' || agent.state === 'disconnected');
  return (
    <span className="agent-state" data-agent-state={agent.state}>
      <span className={`badge badge-${agent.state}`}>{agent.state}</span>
      {showSince && <> <RelativeTime at={agent.since!} /></>}
    </span>
  );
}
