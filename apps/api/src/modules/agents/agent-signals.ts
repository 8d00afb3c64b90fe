/**
 * Coordination between API processes about agents, over NOTIFY on a channel of its own (never
 * forwarded to clients): new runs for some nodes, runs to cancel, an agent revoked, agents that
 * connected to another process. Whichever process holds the agent's connection acts on it.
 */
import type { EntityManager } from 'typeorm';

export const AGENT_CHANNEL = 'overmind_agents';

export type AgentSignal =
  | { t: 'runs'; nodes: string[] }
  | { t: 'cancel'; runs: { id: string; node: string; reason: string }[] }
  | { t: 'revoke'; agents: string[] }
  | { t: 'connected'; agents: string[]; process: string }
  /** The checks of these nodes (null: of any node) may have changed: their agents get their set again if it did. */
  | { t: 'checks'; nodes: string[] | null };

/** NOTIFY payloads are capped at 8000 bytes: ids go in chunks that fit. */
const IDS_PER_SIGNAL = 150;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function encodeSignals(signal: AgentSignal): string[] {
  switch (signal.t) {
    case 'runs':
      return chunks(signal.nodes, IDS_PER_SIGNAL).map((nodes) => JSON.stringify({ t: 'runs', nodes }));
    case 'revoke':
      return chunks(signal.agents, IDS_PER_SIGNAL).map((agents) => JSON.stringify({ t: 'revoke', agents }));
    case 'checks':
      return signal.nodes === null ? [JSON.stringify(signal)] : chunks(signal.nodes, IDS_PER_SIGNAL).map((nodes) => JSON.stringify({ t: 'checks', nodes }));
    case 'connected':
      return chunks(signal.agents, IDS_PER_SIGNAL).map((agents) => JSON.stringify({ t: 'connected', agents, process: signal.process }));
    case 'cancel':
      return chunks(signal.runs.map((r) => ({ ...r, reason: r.reason.slice(0, 200) })), 20).map((runs) => JSON.stringify({ t: 'cancel', runs }));
    default:
      return [JSON.stringify(signal)];
  }
}

/** Sends at commit of `m`'s transaction (or at once outside one). */
export async function sendSignal(m: Pick<EntityManager, 'query'>, signal: AgentSignal): Promise<void> {
  const payloads = encodeSignals(signal);
  if (payloads.length === 0 || ((signal.t === 'runs' || signal.t === 'checks') && signal.nodes?.length === 0)) return;
  await m.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [AGENT_CHANNEL, payloads]);
}

export function decodeSignal(payload: string): AgentSignal | null {
  try {
    const value = JSON.parse(payload) as AgentSignal;
    return typeof value === 'object' && value !== null && typeof value.t === 'string' ? value : null;
  } catch {
    return null;
  }
}
