/**
 * Evaluates every rule against what is stored (the latest check results, the raw readings) and fires
 * or resolves alerts. Every API process runs it on a timer; a transaction-scoped advisory lock lets one
 * evaluate at a time (the others skip that turn), and the unique index on firing alerts holds even if
 * two ever overlapped. Evaluating from the tables rather than at ingest means a rule held "for a
 * duration" fires when the duration has passed, whether or not a result arrives at that moment.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { scopedNodesSql } from '../checks/check-scope.js';
import type { AlertRuleRow } from './alert-rule-view.js';
import type { AlertTransitions } from './alert-transitions.js';

/** Held by an evaluation, and by whatever must not run beside one (deleting a rule). */
export const EVALUATION_LOCK_KEY = `hashtext('overmind.alerts.evaluate')`;
const LOCK = `SELECT pg_try_advisory_xact_lock(${EVALUATION_LOCK_KEY}) AS locked`;

/** A rule's verdict on one node: fire (held long enough), hold (true now), or neither (clear). */
interface Verdict {
  nodeId: string;
  fires: boolean;
  holds: boolean;
  summary: string;
  value: number | null;
}

// Check states are stored as exit codes (0 ok, 1 warning, 2 critical, 3 unknown); severity orders them.
const SEVERITY_OF_STATE = '(ARRAY[0, 1, 3, 2])[nc.state + 1]';
const STATE_NAME = `(ARRAY['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'])[nc.state + 1]`;

async function checkVerdicts(m: EntityManager, rule: AlertRuleRow, nodes: string[]): Promise<Verdict[]> {
  const rows: { node_id: string; fires: boolean; holds: boolean; summary: string | null }[] = await m.query(
    `SELECT nc.node_id,
            bool_or(${SEVERITY_OF_STATE} >= $2 AND nc.state_since <= now() - make_interval(secs => $3::float8)) AS fires,
            bool_or(${SEVERITY_OF_STATE} >= $2) AS holds,
            (array_agg(c.name || ' ' || ${STATE_NAME} || ': ' || left(nc.output, 500) ORDER BY ${SEVERITY_OF_STATE} DESC, nc.state_since)
               FILTER (WHERE ${SEVERITY_OF_STATE} >= $2))[1] AS summary
       FROM node_checks nc JOIN checks c ON c.id = nc.check_id
      WHERE nc.node_id = ANY($1::uuid[]) AND ($4::uuid IS NULL OR nc.check_id = $4)
      GROUP BY nc.node_id`,
    [nodes, rule.check_severity, rule.duration_seconds, rule.check_id],
  );
  return rows.map((r) => ({ nodeId: r.node_id, fires: r.fires, holds: r.holds, summary: r.summary ?? '', value: null }));
}

/**
 * A reading holds when its latest point (a recent one: a node that stopped reporting has no verdict)
 * is over (under) the threshold. It has held for the duration when the points since the last one
 * that was not span at least the duration. That longer look back is only taken for the nodes where it
 * holds now and that are not firing already, so a fleet under the threshold costs one short scan.
 */
async function readingVerdicts(m: EntityManager, rule: AlertRuleRow, nodes: string[], freshSeconds: number, open: Map<string, string>): Promise<Verdict[]> {
  const latest: { node_id: string; v: number }[] = await m.query(
    `SELECT DISTINCT ON (r.node_id) r.node_id, r.vals[array_position(r.series, s.id)]::float8 AS v
       FROM metric_series s JOIN metric_raw r ON r.node_id = s.node_id AND r.at > now() - make_interval(secs => $3::float8)
      WHERE s.node_id = ANY($1::uuid[]) AND s.name = $2 AND r.vals[array_position(r.series, s.id)] IS NOT NULL
      ORDER BY r.node_id, r.at DESC`,
    [nodes, rule.metric, freshSeconds],
  );
  const over = (v: number) => (rule.op === 'above' ? v > rule.threshold! : v < rule.threshold!);
  const candidates = latest.filter((l) => over(l.v) && !open.has(l.node_id)).map((l) => l.node_id);
  const held = new Map<string, number>();
  if (candidates.length > 0 && rule.duration_seconds > 0) {
    const rows: { node_id: string; held_seconds: number | null }[] = await m.query(
      `WITH pt AS (
         SELECT r.node_id, r.at, CASE WHEN $4 = 'above' THEN r.vals[array_position(r.series, s.id)] > $5 ELSE r.vals[array_position(r.series, s.id)] < $5 END AS ok
           FROM metric_series s JOIN metric_raw r ON r.node_id = s.node_id AND r.at > now() - make_interval(secs => $3::float8)
          WHERE s.node_id = ANY($1::uuid[]) AND s.name = $2 AND r.vals[array_position(r.series, s.id)] IS NOT NULL
       ),
       agg AS (SELECT node_id, max(at) AS latest, max(at) FILTER (WHERE NOT ok) AS last_bad FROM pt GROUP BY node_id)
       SELECT a.node_id, extract(epoch FROM a.latest - (SELECT min(p.at) FROM pt p WHERE p.node_id = a.node_id AND p.at > coalesce(a.last_bad, '-infinity')))::float8 AS held_seconds
         FROM agg a`,
      [candidates, rule.metric, rule.duration_seconds + freshSeconds, rule.op, rule.threshold],
    );
    for (const r of rows) held.set(r.node_id, r.held_seconds ?? 0);
  }
  const duration = rule.duration_seconds > 0 ? ` for ${rule.duration_seconds} s` : '';
  return latest.map((l) => ({
    nodeId: l.node_id,
    holds: over(l.v),
    fires: over(l.v) && (rule.duration_seconds === 0 || (held.get(l.node_id) ?? 0) >= rule.duration_seconds),
    summary: `${rule.metric} is ${Math.round(l.v * 100) / 100}, ${rule.op} ${rule.threshold}${duration}`,
    value: l.v,
  }));
}

export function createAlertEvaluator(deps: {
  db: DataSource;
  transitions: AlertTransitions;
  /** How recent a reading must be to fire: a few readings intervals. */
  readingFreshSeconds: number;
}) {
  const { db, transitions } = deps;

  async function evaluateRule(m: EntityManager, rule: AlertRuleRow, nodes: string[], open: Map<string, string>): Promise<{ fired: number; resolved: number }> {
    const verdicts = !rule.enabled || nodes.length === 0 ? []
      : rule.kind === 'check' ? await checkVerdicts(m, rule, nodes)
        : await readingVerdicts(m, rule, nodes, deps.readingFreshSeconds, open);
    const byNode = new Map(verdicts.map((v) => [v.nodeId, v]));
    const inScope = new Set(nodes);
    const fire = verdicts.filter((v) => v.fires && !open.has(v.nodeId));
    const resolve = [...open].filter(([nodeId]) => {
      if (!rule.enabled || !inScope.has(nodeId)) return true;
      const v = byNode.get(nodeId);
      // A check rule without results is clear; a reading rule without recent points keeps its state
      // (the node's health shows it stale) rather than resolving because the readings stopped.
      return v ? !v.holds : rule.kind === 'check';
    }).map(([, alertId]) => alertId);
    const fired = await transitions.fire(m, rule, fire);
    const resolved = await transitions.resolve(m, rule, resolve);
    return { fired: fired.length, resolved: resolved.length };
  }

  return {
    /** One evaluation of every rule; null when another process is evaluating right now. */
    async evaluate(): Promise<{ fired: number; resolved: number } | null> {
      return db.transaction(async (m) => {
        const [{ locked }] = await m.query(LOCK);
        if (!locked) return null;
        const rules: AlertRuleRow[] = await m.query('SELECT * FROM alert_rules ORDER BY id');
        if (rules.length === 0) return { fired: 0, resolved: 0 };
        const scoped: { owner_id: string; node_id: string }[] = await m.query(scopedNodesSql('alert_rules'), [rules.filter((r) => r.enabled).map((r) => r.id)]);
        const openRows: { id: string; rule_id: string; node_id: string }[] = await m.query(`SELECT id, rule_id, node_id FROM alerts WHERE state = 'firing' AND rule_id IS NOT NULL`);
        const nodesOf = new Map<string, string[]>();
        for (const s of scoped) {
          const list = nodesOf.get(s.owner_id);
          if (list) list.push(s.node_id);
          else nodesOf.set(s.owner_id, [s.node_id]);
        }
        const openOf = new Map<string, Map<string, string>>();
        for (const o of openRows) openOf.set(o.rule_id, (openOf.get(o.rule_id) ?? new Map()).set(o.node_id, o.id));
        const total = { fired: 0, resolved: 0 };
        for (const rule of rules) {
          const { fired, resolved } = await evaluateRule(m, rule, nodesOf.get(rule.id) ?? [], openOf.get(rule.id) ?? new Map());
          total.fired += fired;
          total.resolved += resolved;
        }
        return total;
      });
    },
  };
}

export type AlertEvaluator = ReturnType<typeof createAlertEvaluator>;
