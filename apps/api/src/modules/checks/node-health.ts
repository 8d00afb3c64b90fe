/**
 * A node's health on its row (for the node list): the worst state of its checks' latest results, in
 * Checkmk's order (critical over unknown over warning over ok, as `worstState` of @overmind/checks),
 * null when it has none, and `stale` when its agent stopped reporting. Changes are events.
 */
import type { EntityManager } from 'typeorm';
import type { NodeHealth } from '../../db/entities/index.js';
import type { OvermindEvent } from '../events/event-bus.js';

type Queryable = Pick<EntityManager, 'query'>;

// state 0..3 -> rank; the rank's name. Kept in step with SEVERITY in @overmind/checks' check-state.ts.
const RANK = `CASE nc.state WHEN 0 THEN 0 WHEN 1 THEN 1 WHEN 3 THEN 2 WHEN 2 THEN 3 END`;
const RANK_NAME = `CASE r WHEN 0 THEN 'ok' WHEN 1 THEN 'warning' WHEN 2 THEN 'unknown' WHEN 3 THEN 'critical' END`;

export interface HealthChange {
  nodeId: string;
  health: NodeHealth | null;
  previous: NodeHealth | null;
  since: Date;
}

export function healthEvent(c: HealthChange): OvermindEvent {
  return { type: 'health', nodeId: c.nodeId, health: c.health, previous: c.previous, since: new Date(c.since).toISOString() };
}

/**
 * Computes the health of `nodeIds` from their results and writes it where it changed. `fresh`: the
 * nodes just reported (a stale node becomes current again); otherwise a stale node stays stale.
 */
export async function refreshHealth(m: Queryable, nodeIds: string[], fresh: boolean): Promise<HealthChange[]> {
  if (nodeIds.length === 0) return [];
  const [rows] = await m.query(
    `WITH computed AS (
       SELECT n.id, n.health AS previous,
              (SELECT ${RANK_NAME} FROM (SELECT max(${RANK}) AS r FROM node_checks nc WHERE nc.node_id = n.id) w) AS health
         FROM nodes n WHERE n.id = ANY($1::uuid[])
     )
     UPDATE nodes n SET health = c.health, health_since = now()
       FROM computed c
      WHERE n.id = c.id AND n.health IS DISTINCT FROM c.health AND ($2 OR n.health IS DISTINCT FROM 'stale' OR c.health IS NULL)
      RETURNING n.id, n.health, c.previous, n.health_since`,
    [nodeIds, fresh],
  );
  return (rows as { id: string; health: NodeHealth | null; previous: NodeHealth | null; health_since: Date }[]).map((r) => ({ nodeId: r.id, health: r.health, previous: r.previous, since: r.health_since }));
}

/**
 * Nodes whose agent has not reported: none of their checks has a result received within the stale
 * time, or within twice its interval plus its timeout when that is longer (a check that runs hourly
 * is not late after five minutes). They become `stale`. Nodes left with no results at all have no
 * health.
 */
export async function markStale(m: Queryable, staleSeconds: number): Promise<HealthChange[]> {
  const [rows] = await m.query(
    `WITH late AS (
       SELECT n.id, n.health AS previous FROM nodes n
        WHERE n.health IS NOT NULL AND n.health <> 'stale'
          AND EXISTS (SELECT 1 FROM node_checks nc WHERE nc.node_id = n.id)
          AND NOT EXISTS (
            SELECT 1 FROM node_checks nc JOIN checks c ON c.id = nc.check_id
             WHERE nc.node_id = n.id AND nc.received_at > now() - make_interval(secs => greatest($1, 2 * c.interval_seconds + c.timeout_seconds)))
        FOR UPDATE OF n SKIP LOCKED
     )
     UPDATE nodes n SET health = 'stale', health_since = now() FROM late l WHERE n.id = l.id
     RETURNING n.id, n.health, l.previous, n.health_since`,
    [staleSeconds],
  );
  // Results that went with their check by a cascade (its server role or node was deleted) leave no health.
  const [none] = await m.query(
    `WITH bare AS (
       SELECT n.id, n.health AS previous FROM nodes n
        WHERE n.health IS NOT NULL AND NOT EXISTS (SELECT 1 FROM node_checks nc WHERE nc.node_id = n.id)
        FOR UPDATE OF n SKIP LOCKED
     )
     UPDATE nodes n SET health = NULL, health_since = now() FROM bare b WHERE n.id = b.id
     RETURNING n.id, n.health, b.previous, n.health_since`,
  );
  return ([...rows, ...none] as { id: string; health: NodeHealth | null; previous: NodeHealth | null; health_since: Date }[]).map((r) => ({ nodeId: r.id, health: r.health, previous: r.previous, since: r.health_since }));
}
