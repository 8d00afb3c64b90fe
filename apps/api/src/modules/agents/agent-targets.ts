/** Which nodes their agents serve: a node with an active agent, pull mode (its own or its server role's) or no SSH path. */
import type { DataSource, EntityManager } from 'typeorm';

export interface AgentTarget {
  /** `push` or `pull`: the node's own mode, else its server role's, else push. */
  mode: 'push' | 'pull';
  hasAgent: boolean;
}

export async function agentTargets(db: Pick<DataSource | EntityManager, 'query'>, nodeIds: string[]): Promise<Map<string, AgentTarget>> {
  const rows: { id: string; mode: 'push' | 'pull'; has_agent: boolean }[] = await db.query(
    `SELECT n.id, coalesce(n.config_mode, r.config_mode, 'push') AS mode, n.agent_id IS NOT NULL AS has_agent
       FROM nodes n LEFT JOIN server_role_nodes s ON s.node_id = n.id LEFT JOIN server_roles r ON r.id = s.server_role_id
      WHERE n.id = ANY($1::uuid[])`,
    [nodeIds],
  );
  return new Map(rows.map((r) => [r.id, { mode: r.mode, hasAgent: r.has_agent }]));
}
