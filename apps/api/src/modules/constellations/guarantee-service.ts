/** What the service guarantee shows of a constellation's tiers, and resetting a tripped circuit breaker. */
import type { DataSource } from 'typeorm';
import type { Actor } from '../../lib/actor.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import type { AuditService } from '../audit/audit-service.js';
import type { EventBus } from '../events/event-bus.js';
import { memberKey } from './constellation-outputs.js';
import type { ConstellationSpec } from './constellation-spec.js';
import { policyOf, unhealthyReason } from './guarantee-policy.js';

const RECENT_ATTEMPTS = 20;

export function createGuaranteeService(deps: { db: DataSource; audit: Pick<AuditService, 'record'>; events: Pick<EventBus, 'publishMany'> }) {
  const { db } = deps;

  async function constellation(id: string): Promise<{ id: string; name: string; spec: ConstellationSpec }> {
    const [c] = await db.query(
      `SELECT c.id, c.name, v.spec FROM constellations c
         JOIN constellation_versions v ON v.constellation_id = c.id AND v.version = coalesce(c.target_version, c.latest_version) WHERE c.id = $1`,
      [id],
    );
    if (!c) throw new NotFoundError('Constellation', id);
    return c;
  }

  return {
    async get(id: string) {
      const c = await constellation(id);
      const [members, tiers, attempts] = await Promise.all([
        db.query(
          `SELECT mb.tier, mb.ordinal, mb.node_id, n.name, n.state, n.health, n.agent_state,
                  (SELECT CASE WHEN bool_or(bm.state = 'unhealthy') THEN 'unhealthy' ELSE min(bm.state) END FROM balancer_members bm WHERE bm.node_id = n.id) AS lb_state,
                  EXISTS (SELECT 1 FROM jobs j WHERE j.target_id = n.id AND j.state IN ('queued', 'running')) AS busy,
                  g.unhealthy_since, g.reason, g.rung, g.attempts, g.next_attempt_at, a.step, a.job_id, a.started_at, a.started_by
             FROM constellation_members mb JOIN nodes n ON n.id = mb.node_id
             LEFT JOIN guarantee_members g ON g.node_id = mb.node_id
             LEFT JOIN guarantee_attempts a ON a.id = g.attempt_id
            WHERE mb.constellation_id = $1 AND n.destroyed_at IS NULL AND n.decommissioned_at IS NULL ORDER BY mb.tier, mb.ordinal`,
          [id],
        ),
        db.query('SELECT tier, breaker, failures, tripped_at, tripped_reason, alert_id FROM guarantee_tiers WHERE constellation_id = $1', [id]),
        db.query(
          `SELECT * FROM (SELECT a.*, row_number() OVER (PARTITION BY a.tier ORDER BY a.started_at DESC) AS n FROM guarantee_attempts a WHERE a.constellation_id = $1) x
            WHERE n <= $2 ORDER BY tier, started_at DESC`,
          [id, RECENT_ATTEMPTS],
        ),
      ]);
      const now = Date.now();
      return {
        constellationId: id,
        tiers: c.spec.tiers.flatMap((t) => {
          const policy = policyOf(t);
          if (!policy) return [];
          const state = tiers.find((x: { tier: string }) => x.tier === t.name);
          const windowStart = now - policy.breakerWindowSeconds * 1000;
          return [{
            tier: t.name,
            policy,
            breaker: state?.breaker ?? 'closed',
            trippedAt: state?.tripped_at ?? null,
            trippedReason: state?.tripped_reason ?? null,
            alertId: state?.alert_id ?? null,
            recentFailures: (state?.failures ?? []).filter((f: string | Date) => new Date(f).getTime() > windowStart).length,
            members: members.filter((m: { tier: string }) => m.tier === t.name).map((m: Record<string, unknown>) => {
              const reason = unhealthyReason({ state: m.state as string, health: m.health as string | null, agentState: m.agent_state as string | null, balancerState: m.lb_state as string | null, busy: m.busy as boolean, gone: false });
              return {
                key: memberKey(t.name, m.ordinal as number),
                nodeId: m.node_id as string,
                nodeName: m.name as string,
                status: m.step ? 'remediating' : reason === undefined ? 'busy' : reason === null ? 'healthy' : 'unhealthy',
                reason: reason ?? (m.reason as string | null) ?? null,
                unhealthySince: (m.unhealthy_since as Date | null) ?? null,
                nextStep: reason && !m.step ? (policy.remediation[Math.min((m.rung as number | null) ?? 0, policy.remediation.length - 1)] ?? null) : null,
                nextAttemptAt: (m.next_attempt_at as Date | null) ?? null,
                attempts: (m.attempts as number | null) ?? 0,
                inFlight: m.step ? { step: m.step as string, jobId: (m.job_id as string | null) ?? null, startedAt: m.started_at as Date, startedBy: m.started_by as string } : null,
              };
            }),
            attempts: attempts.filter((a: { tier: string }) => a.tier === t.name).map((a: Record<string, unknown>) => ({
              id: a.id as string,
              key: a.member_key as string,
              nodeId: a.node_id as string,
              step: a.step as string,
              reason: a.reason as string,
              jobId: (a.job_id as string | null) ?? null,
              startedBy: a.started_by as string,
              startedAt: a.started_at as Date,
              finishedAt: (a.finished_at as Date | null) ?? null,
              outcome: (a.outcome as string | null) ?? null,
              detail: (a.detail as string | null) ?? null,
            })),
          }];
        }),
      };
    },

    /** Closes a tripped breaker (remediation resumes, its failures forgotten) and resolves its alert. */
    async reset(actor: Actor, id: string, tier: string) {
      const c = await constellation(id);
      const spec = c.spec.tiers.find((t) => t.name === tier);
      if (!spec || !policyOf(spec)) throw new NotFoundError('Guaranteed tier', `${tier} of constellation ${c.name}`);
      await db.transaction(async (m) => {
        const [row] = await m.query(`SELECT breaker, alert_id FROM guarantee_tiers WHERE constellation_id = $1 AND tier = $2 FOR UPDATE`, [id, tier]);
        if (!row || row.breaker !== 'open') throw new ConflictError(`The circuit breaker of ${c.name}/${tier} is not tripped`);
        await m.query(
          `UPDATE guarantee_tiers SET breaker = 'closed', failures = '{}', tripped_at = NULL, tripped_reason = NULL, alert_id = NULL, updated_at = now() WHERE constellation_id = $1 AND tier = $2`,
          [id, tier],
        );
        // The members start their ladders again from the first step, without waiting out old backoffs.
        await m.query(`UPDATE guarantee_members SET rung = 0, attempts = 0, next_attempt_at = NULL, recovered_at = NULL, updated_at = now() WHERE constellation_id = $1 AND tier = $2`, [id, tier]);
        const [alert] = row.alert_id ? await m.query(`UPDATE alerts SET state = 'resolved', resolved_at = now() WHERE id = $1 AND state = 'firing' RETURNING id`, [row.alert_id]) : [[]];
        await deps.audit.record(actor, 'constellation.guarantee.reset', { type: 'constellation', id }, { tier, alertId: row.alert_id, alertResolved: Boolean(alert?.length) }, { manager: m });
        await deps.events.publishMany([{ type: 'guarantee', constellationId: id, tier, key: null, nodeId: null, step: null, state: 'reset', jobId: null }], m);
      });
    },
  };
}

export type GuaranteeService = ReturnType<typeof createGuaranteeService>;
