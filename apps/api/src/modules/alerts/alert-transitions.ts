/**
 * An alert firing or resolving: the row (at most one firing per rule and node, by a unique index, so
 * processes evaluating at once cannot fire twice), an `alert` event, an audit entry and the
 * notifications, all in the caller's transaction.
 */
import type PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { systemActor } from '../../lib/actor.js';
import type { AuditService } from '../audit/audit-service.js';
import type { EventBus, OvermindEvent } from '../events/event-bus.js';
import { notificationsFor, queueNotifications, type AlertView } from './alert-notifications.js';
import type { AlertRuleRow } from './alert-rule-view.js';

export interface AlertRow {
  id: string;
  rule_id: string | null;
  rule_name: string;
  node_id: string;
  node_name: string;
  state: 'firing' | 'resolved';
  summary: string;
  value: number | null;
  fired_at: Date;
  resolved_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
}

export function alertView(r: AlertRow): AlertView {
  return {
    id: r.id,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    nodeId: r.node_id,
    nodeName: r.node_name,
    state: r.state,
    summary: r.summary,
    value: r.value,
    firedAt: r.fired_at,
    resolvedAt: r.resolved_at,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
  };
}

/** Events stay small (NOTIFY's 8000 bytes): the summary is clipped. */
export function alertEvent(a: AlertView): OvermindEvent {
  return {
    type: 'alert',
    id: a.id,
    ruleId: a.ruleId,
    ruleName: a.ruleName.slice(0, 200),
    nodeId: a.nodeId,
    state: a.state,
    summary: a.summary.slice(0, 200),
    firedAt: new Date(a.firedAt).toISOString(),
    resolvedAt: a.resolvedAt ? new Date(a.resolvedAt).toISOString() : null,
    acknowledgedAt: a.acknowledgedAt ? new Date(a.acknowledgedAt).toISOString() : null,
  };
}

export interface TransitionDeps {
  boss: Pick<PgBoss, 'send'>;
  events: Pick<EventBus, 'publishMany'>;
  audit: Pick<AuditService, 'record'>;
  smtp: boolean;
}

const ACTOR = systemActor('alerts');
export const WITH_NODE = 'SELECT x.*, n.name AS node_name FROM x JOIN nodes n ON n.id = x.node_id';

export function createAlertTransitions(deps: TransitionDeps) {
  async function announce(m: EntityManager, rule: AlertRuleRow, rows: AlertRow[]): Promise<void> {
    const views = rows.map(alertView);
    for (const a of views) {
      await deps.audit.record(ACTOR, a.state === 'firing' ? 'alert.fire' : 'alert.resolve', { type: 'alert', id: a.id }, { ruleId: rule.id, rule: rule.name, nodeId: a.nodeId, summary: a.summary.slice(0, 500) }, { manager: m });
      await queueNotifications(deps.boss, m, notificationsFor(rule, a, deps.smtp));
    }
    await deps.events.publishMany(views.map(alertEvent), m);
  }

  return {
    /** Fires the rule on these nodes, unless it is firing there already; returns what fired. */
    async fire(m: EntityManager, rule: AlertRuleRow, hits: { nodeId: string; summary: string; value: number | null }[]): Promise<AlertRow[]> {
      if (hits.length === 0) return [];
      const rows: AlertRow[] = await m.query(
        `WITH x AS (
           INSERT INTO alerts (rule_id, rule_name, node_id, state, summary, value)
           SELECT $1, $2, h.node_id, 'firing', h.summary, h.value FROM jsonb_to_recordset($3::jsonb) AS h(node_id uuid, summary text, value double precision)
           ON CONFLICT (rule_id, node_id) WHERE state = 'firing' DO NOTHING
           RETURNING *)
         ${WITH_NODE}`,
        [rule.id, rule.name, JSON.stringify(hits.map((h) => ({ node_id: h.nodeId, summary: h.summary, value: h.value })))],
      );
      await announce(m, rule, rows);
      return rows;
    },

    /** Resolves these alerts of the rule, those still firing; returns what resolved. */
    async resolve(m: EntityManager, rule: AlertRuleRow, alertIds: string[]): Promise<AlertRow[]> {
      if (alertIds.length === 0) return [];
      const rows: AlertRow[] = await m.query(
        `WITH x AS (UPDATE alerts SET state = 'resolved', resolved_at = now() WHERE id = ANY($1::uuid[]) AND state = 'firing' RETURNING *) ${WITH_NODE}`,
        [alertIds],
      );
      await announce(m, rule, rows);
      return rows;
    },
  };
}

export type AlertTransitions = ReturnType<typeof createAlertTransitions>;
