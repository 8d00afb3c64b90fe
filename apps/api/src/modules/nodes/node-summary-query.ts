import { NODE_STATES, type NodeState } from '@overmind/provider';
import type { DataSource } from 'typeorm';
import { SharedReads } from '../../lib/shared-reads.js';

export type StateCounts = Record<NodeState, number>;

export interface NodeSummary {
  total: number;
  byState: StateCounts;
  byProvider: { providerId: string; total: number; byState: StateCounts }[];
}

const zero = (): StateCounts => Object.fromEntries(NODE_STATES.map((s) => [s, 0])) as StateCounts;

/**
 * Live nodes counted by provider and state in one grouped query: the dashboard's numbers. Requests
 * at the same moment share one query (shared-reads.ts), so callers must not change the answer.
 */
export function createNodeSummaryQuery(db: DataSource) {
  const shared = new SharedReads<NodeSummary>();
  return () => shared.read('', summarizeNodes);

  async function summarizeNodes(): Promise<NodeSummary> {
    const rows: { provider_id: string; state: NodeState; n: number }[] = await db.query(
      `SELECT provider_id, state, count(*)::int AS n FROM nodes
        WHERE decommissioned_at IS NULL AND destroyed_at IS NULL
        GROUP BY provider_id, state ORDER BY provider_id`,
    );
    const summary: NodeSummary = { total: 0, byState: zero(), byProvider: [] };
    for (const { provider_id: providerId, state, n } of rows) {
      let provider = summary.byProvider.at(-1);
      if (provider?.providerId !== providerId) summary.byProvider.push((provider = { providerId, total: 0, byState: zero() }));
      // A state this version does not know (written by a newer one) still counts in the totals.
      if (state in provider.byState) {
        provider.byState[state] += n;
        summary.byState[state] += n;
      }
      provider.total += n;
      summary.total += n;
    }
    return summary;
  }
}
