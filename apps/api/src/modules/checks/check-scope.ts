/**
 * Which checks apply to which nodes: a check scoped to a server role applies to the role's nodes, one
 * scoped to a tag to the nodes carrying it, one scoped to a node to that node; never to a node that
 * is destroyed or decommissioned. One query for any number of nodes.
 */
import { MAX_CHECKS_PER_NODE, type CheckDefinition } from '@overmind/agent-protocol';
import type { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

const LIVE = 'n.destroyed_at IS NULL AND n.decommissioned_at IS NULL';
const COLUMNS = 'c.id, c.name, c.command, c.args, c.shell, c.interval_seconds, c.timeout_seconds';

/** `nodes` is `$1` (uuid[]); rows are (node_id, check columns), ordered by node then check name. */
export const APPLICABLE_SQL = `
  SELECT x.* FROM (
    SELECT n.id AS node_id, ${COLUMNS} FROM nodes n JOIN checks c ON c.scope_node_id = n.id WHERE n.id = ANY($1::uuid[]) AND ${LIVE}
    UNION ALL
    SELECT n.id AS node_id, ${COLUMNS} FROM nodes n JOIN checks c ON c.scope_tag = ANY (n.tags) WHERE n.id = ANY($1::uuid[]) AND ${LIVE}
    UNION ALL
    SELECT n.id AS node_id, ${COLUMNS} FROM server_role_nodes r JOIN nodes n ON n.id = r.node_id JOIN checks c ON c.scope_role_id = r.server_role_id
     WHERE r.node_id = ANY($1::uuid[]) AND ${LIVE}
  ) x ORDER BY x.node_id, lower(x.name), x.id`;

interface ApplicableRow {
  node_id: string;
  id: string;
  name: string;
  command: string;
  args: string[];
  shell: boolean;
  interval_seconds: number;
  timeout_seconds: number;
}

/**
 * A node's set must fit in one message (the welcome, or `checks.set`) with room to spare: a check is
 * up to ~270 KB of arguments, so a few large ones would otherwise push the welcome past the protocol's
 * 1 MiB and the agent could never connect.
 */
export const MAX_CHECK_SET_BYTES = 512 * 1024;

/**
 * The check definitions of each node, as the agent protocol carries them: by name, at most
 * MAX_CHECKS_PER_NODE and MAX_CHECK_SET_BYTES of them (the rest are left out).
 */
export async function definitionsFor(db: Queryable, nodeIds: string[]): Promise<Map<string, CheckDefinition[]>> {
  const out = new Map<string, CheckDefinition[]>(nodeIds.map((id) => [id, []]));
  if (nodeIds.length === 0) return out;
  const rows: ApplicableRow[] = await db.query(APPLICABLE_SQL, [nodeIds]);
  const bytes = new Map<string, number>();
  for (const r of rows) {
    const list = out.get(r.node_id)!;
    if (list.length >= MAX_CHECKS_PER_NODE) continue;
    const def: CheckDefinition = { id: r.id, name: r.name, command: r.command, args: r.args, shell: r.shell, intervalSeconds: r.interval_seconds, timeoutSeconds: r.timeout_seconds };
    const size = (bytes.get(r.node_id) ?? 0) + Buffer.byteLength(JSON.stringify(def)) + 1;
    if (size > MAX_CHECK_SET_BYTES) continue;
    bytes.set(r.node_id, size);
    list.push(def);
  }
  return out;
}

/**
 * The live nodes in the scope of the rows `$1` (uuid[]) of `table`, a table storing a scope as checks do
 * (`scope_kind` role, tag or node with `scope_role_id`, `scope_tag`, `scope_node_id`; alert rules also
 * have `all`): rows (owner_id, node_id). One query for any number of rows, each kind by its index.
 */
export function scopedNodesSql(table: 'alert_rules' | 'checks'): string {
  return `
    SELECT o.id AS owner_id, n.id AS node_id FROM ${table} o JOIN nodes n ON n.id = o.scope_node_id WHERE o.id = ANY($1::uuid[]) AND ${LIVE}
    UNION ALL
    SELECT o.id, n.id FROM ${table} o JOIN nodes n ON o.scope_tag = ANY (n.tags) WHERE o.id = ANY($1::uuid[]) AND ${LIVE}
    UNION ALL
    SELECT o.id, n.id FROM ${table} o JOIN server_role_nodes r ON r.server_role_id = o.scope_role_id JOIN nodes n ON n.id = r.node_id
     WHERE o.id = ANY($1::uuid[]) AND ${LIVE}
    UNION ALL
    SELECT o.id, n.id FROM ${table} o JOIN nodes n ON o.scope_kind = 'all' WHERE o.id = ANY($1::uuid[]) AND ${LIVE}`;
}
