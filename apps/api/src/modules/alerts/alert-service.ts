/** The alerts rules raised: listed newest first, filtered, and acknowledged (audited, announced). */
import type { DataSource } from 'typeorm';
import type { Actor } from '../../lib/actor.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import { offset, type Page, type PageRequest } from '../../lib/pagination.js';
import type { AuditService } from '../audit/audit-service.js';
import type { EventBus } from '../events/event-bus.js';
import type { AlertView } from './alert-notifications.js';
import { alertEvent, alertView, WITH_NODE, type AlertRow } from './alert-transitions.js';

export interface AlertFilter extends PageRequest {
  state?: 'firing' | 'resolved';
  nodeId?: string;
  ruleId?: string;
}

export function createAlertService(deps: { db: DataSource; audit: Pick<AuditService, 'record'>; events: Pick<EventBus, 'publishMany'> }) {
  const { db } = deps;

  async function get(id: string): Promise<AlertView> {
    const [row]: AlertRow[] = await db.query(`WITH x AS (SELECT * FROM alerts WHERE id = $1) ${WITH_NODE}`, [id]);
    if (!row) throw new NotFoundError('Alert', id);
    return alertView(row);
  }

  return {
    get,

    async list(filter: AlertFilter): Promise<Page<AlertView>> {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.state) where.push(`a.state = $${params.push(filter.state)}`);
      if (filter.nodeId) where.push(`a.node_id = $${params.push(filter.nodeId)}`);
      if (filter.ruleId) where.push(`a.rule_id = $${params.push(filter.ruleId)}`);
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const n = params.length;
      const [rows, [{ total }]] = await Promise.all([
        db.query(
          `SELECT a.*, n.name AS node_name FROM alerts a JOIN nodes n ON n.id = a.node_id ${clause}
            ORDER BY (a.state = 'firing') DESC, a.fired_at DESC, a.id LIMIT $${n + 1} OFFSET $${n + 2}`,
          [...params, filter.limit, offset(filter)],
        ),
        db.query(`SELECT count(*)::int AS total FROM alerts a ${clause}`, params),
      ]);
      return { items: (rows as AlertRow[]).map(alertView), total, page: filter.page, limit: filter.limit };
    },

    /** Someone is on it: recorded once (a second acknowledgement is a conflict naming the first). */
    async acknowledge(actor: Actor, id: string): Promise<AlertView> {
      return db.transaction(async (m) => {
        const [row]: AlertRow[] = await m.query(
          `WITH x AS (UPDATE alerts SET acknowledged_by = $2, acknowledged_at = now() WHERE id = $1 AND acknowledged_at IS NULL RETURNING *) ${WITH_NODE}`,
          [id, actor.id],
        );
        if (!row) {
          const [known] = await m.query('SELECT a.acknowledged_at, u.username FROM alerts a LEFT JOIN users u ON u.id = a.acknowledged_by WHERE a.id = $1', [id]);
          if (!known) throw new NotFoundError('Alert', id);
          throw new ConflictError(`Alert ${id} was acknowledged already${known.username ? ` by ${known.username}` : ''} at ${new Date(known.acknowledged_at).toISOString()}`);
        }
        const view = alertView(row);
        await deps.audit.record(actor, 'alert.acknowledge', { type: 'alert', id }, { ruleId: view.ruleId, rule: view.ruleName, nodeId: view.nodeId, state: view.state }, { manager: m });
        await deps.events.publishMany([alertEvent(view)], m);
        return view;
      });
    },
  };
}

export type AlertService = ReturnType<typeof createAlertService>;
