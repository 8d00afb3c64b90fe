/**
 * The service guarantee's reconciler: one pass reads every guaranteed tier's members with their
 * health (node state, check health and agent, balancer) and ladder rows in a few queries, decides
 * (guarantee-policy.ts), and writes what changed, starting steps as jobs. Every worker process runs
 * passes on a timer; a transaction-scoped advisory lock lets one pass run at a time (the others skip
 * that turn), and everything a pass does commits with it or not at all, so a worker killed mid-pass
 * leaves nothing half-done and its lock goes with its connection.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { systemActor } from '../../lib/actor.js';
import type { AuditService } from '../audit/audit-service.js';
import type { EventBus, OvermindEvent } from '../events/event-bus.js';
import { memberKey } from './constellation-outputs.js';
import type { ConstellationSpec } from './constellation-spec.js';
import { decideTier, policyOf, type AttemptInFlight, type GuaranteePolicy, type LadderState, type MemberInput, type TierDecision, type TierInput } from './guarantee-policy.js';
import type { StepStarters } from './guarantee-steps.js';

export const GUARANTEE_LOCK_KEY = `hashtext('overmind.constellations.guarantee')`;

const ACTOR = systemActor('guarantee');

export interface PassResult {
  /** Who ran it. */
  instance: string;
  tiers: number;
  members: number;
  started: { key: string; step: string; jobId: string | null }[];
  finished: number;
  tripped: string[];
  /** Steps in flight that this pass found started, and by whom. */
  inFlight: { nodeId: string; step: string; startedBy: string }[];
}

interface ConstellationRow {
  id: string;
  name: string;
  version: number;
  spec: ConstellationSpec;
  applying: boolean;
}

const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

export function createGuaranteeReconciler(deps: {
  db: DataSource;
  audit: Pick<AuditService, 'record'>;
  events: Pick<EventBus, 'publishMany'>;
  steps: StepStarters;
  /** This reconciler (host, process, random id): recorded on each step it starts. */
  instance: string;
}) {
  const { db, audit } = deps;

  async function readMembers(m: EntityManager, ids: string[]): Promise<Map<string, MemberInput[]>> {
    const rows: Record<string, unknown>[] = await m.query(
      `WITH busy AS (SELECT DISTINCT target_id FROM jobs WHERE state IN ('queued', 'running')),
            lb AS (SELECT node_id, CASE WHEN bool_or(state = 'unhealthy') THEN 'unhealthy' ELSE min(state) END AS state FROM balancer_members GROUP BY node_id),
            live AS (
              SELECT mb.constellation_id, mb.tier, mb.ordinal, mb.node_id, n.state, n.health, n.agent_state, false AS gone
                FROM constellation_members mb JOIN nodes n ON n.id = mb.node_id
               WHERE mb.constellation_id = ANY($1::uuid[]) AND n.destroyed_at IS NULL AND n.decommissioned_at IS NULL
              UNION ALL
              -- Ladder rows of nodes no longer members (a replaced member): their step ends here.
              SELECT g.constellation_id, g.tier, 0, g.node_id, NULL, NULL, NULL, true
                FROM guarantee_members g
               WHERE g.constellation_id = ANY($1::uuid[]) AND NOT EXISTS (
                 SELECT 1 FROM constellation_members mb JOIN nodes n ON n.id = mb.node_id
                  WHERE mb.node_id = g.node_id AND n.destroyed_at IS NULL AND n.decommissioned_at IS NULL))
       SELECT l.*, lb.state AS lb_state, (busy.target_id IS NOT NULL) AS busy,
              g.unhealthy_since, g.reason, g.rung, g.attempts, g.next_attempt_at, g.recovered_at, g.attempt_id,
              a.step, a.started_by, a.job_id, coalesce(j.error, a.detail) AS job_error, j.state AS job_state, j.finished_at AS job_finished_at
         FROM live l
         LEFT JOIN lb ON lb.node_id = l.node_id
         LEFT JOIN busy ON busy.target_id = l.node_id
         LEFT JOIN guarantee_members g ON g.node_id = l.node_id
         LEFT JOIN guarantee_attempts a ON a.id = g.attempt_id
         LEFT JOIN jobs j ON j.id = a.job_id`,
      [ids],
    );
    const out = new Map<string, MemberInput[]>();
    for (const r of rows) {
      const key = `${r.constellation_id as string}/${r.tier as string}`;
      const ladder: LadderState | null = r.rung === null || r.rung === undefined ? null : {
        unhealthySince: date(r.unhealthy_since), reason: (r.reason as string | null) ?? null, rung: r.rung as number, attempts: r.attempts as number,
        nextAttemptAt: date(r.next_attempt_at), recoveredAt: date(r.recovered_at), attemptId: (r.attempt_id as string | null) ?? null,
      };
      const attempt: AttemptInFlight | null = r.attempt_id ? {
        id: r.attempt_id as string, step: r.step as AttemptInFlight['step'], startedBy: r.started_by as string, jobId: (r.job_id as string | null) ?? null,
        jobState: (r.job_state as string | null) ?? null, jobError: (r.job_error as string | null) ?? null, jobFinishedAt: date(r.job_finished_at),
      } : null;
      const member: MemberInput = {
        nodeId: r.node_id as string, tier: r.tier as string, ordinal: r.ordinal as number, gone: r.gone as boolean,
        state: (r.state as string | null) ?? 'terminated', health: (r.health as string | null) ?? null, agentState: (r.agent_state as string | null) ?? null,
        balancerState: (r.lb_state as string | null) ?? null, busy: r.busy as boolean, ladder, attempt,
      };
      const list = out.get(key);
      if (list) list.push(member);
      else out.set(key, [member]);
    }
    return out;
  }

  /** What a pass writes for all tiers at once at its end: a few statements, however many tiers changed. */
  interface Batch {
    ladders: { constellationId: string; tier: string; nodeId: string; ladder: LadderState }[];
    forget: string[];
    finished: TierDecision['finished'];
    events: OvermindEvent[];
  }

  async function flush(m: EntityManager, b: Batch): Promise<void> {
    if (b.finished.length > 0) {
      await m.query(
        `UPDATE guarantee_attempts a SET outcome = f.outcome, detail = coalesce(f.detail, a.detail), finished_at = now(), job_finished_at = f.job_finished_at
           FROM jsonb_to_recordset($1::jsonb) AS f(id uuid, outcome text, detail text, job_finished_at timestamptz) WHERE a.id = f.id`,
        [JSON.stringify(b.finished.map((f) => ({ id: f.attemptId, outcome: f.outcome, detail: f.detail?.slice(0, 2000) ?? null, job_finished_at: f.jobFinishedAt })))],
      );
    }
    if (b.ladders.length > 0) {
      await m.query(
        `INSERT INTO guarantee_members (node_id, constellation_id, tier, unhealthy_since, reason, rung, attempts, next_attempt_at, recovered_at, attempt_id, updated_at)
         SELECT l.node_id, l.constellation_id, l.tier, l.unhealthy_since, l.reason, l.rung, l.attempts, l.next_attempt_at, l.recovered_at, l.attempt_id, now()
           FROM jsonb_to_recordset($1::jsonb) AS l(node_id uuid, constellation_id uuid, tier text, unhealthy_since timestamptz, reason text, rung int, attempts int, next_attempt_at timestamptz, recovered_at timestamptz, attempt_id uuid)
         ON CONFLICT (node_id) DO UPDATE SET unhealthy_since = EXCLUDED.unhealthy_since, reason = EXCLUDED.reason, rung = EXCLUDED.rung, attempts = EXCLUDED.attempts,
           next_attempt_at = EXCLUDED.next_attempt_at, recovered_at = EXCLUDED.recovered_at, attempt_id = EXCLUDED.attempt_id, updated_at = now()`,
        [JSON.stringify(b.ladders.map(({ constellationId, tier, nodeId, ladder: l }) => ({
          node_id: nodeId, constellation_id: constellationId, tier, unhealthy_since: l.unhealthySince, reason: l.reason, rung: l.rung, attempts: l.attempts,
          next_attempt_at: l.nextAttemptAt, recovered_at: l.recoveredAt, attempt_id: l.attemptId,
        })))],
      );
    }
    if (b.forget.length > 0) await m.query('DELETE FROM guarantee_members WHERE node_id = ANY($1::uuid[])', [b.forget]);
    if (b.events.length > 0) await deps.events.publishMany(b.events, m);
  }

  async function write(m: EntityManager, c: ConstellationRow, tier: string, policy: GuaranteePolicy, members: MemberInput[], d: TierDecision, result: PassResult, batch: Batch): Promise<void> {
    const events = batch.events;
    const byNode = new Map(members.map((x) => [x.nodeId, x]));
    const keyOf = (nodeId: string) => {
      const mb = byNode.get(nodeId);
      return mb && !mb.gone ? memberKey(tier, mb.ordinal) : null;
    };
    if (d.finished.length > 0) {
      batch.finished.push(...d.finished);
      for (const f of d.finished) events.push({ type: 'guarantee', constellationId: c.id, tier, key: keyOf(f.nodeId), nodeId: f.nodeId, step: f.step, state: f.outcome, jobId: null });
      result.finished += d.finished.length;
    }
    const ladders = new Map(d.ladders.map((l) => [l.nodeId, l.ladder]));
    for (const s of d.starts) {
      const mb = byNode.get(s.nodeId)!;
      const ladder = ladders.get(s.nodeId) ?? { ...mb.ladder! };
      const [{ id: attemptId }] = await m.query(
        `INSERT INTO guarantee_attempts (constellation_id, tier, member_key, node_id, step, reason, started_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [c.id, tier, s.key, s.nodeId, s.step, s.reason, deps.instance],
      );
      let jobId: string | null = null;
      // A step refused (a provider that cannot reboot, a tier without a role to converge) is an attempt that failed at once.
      await m.query('SAVEPOINT guarantee_step');
      try {
        const job = await deps.steps[s.step](m, ACTOR, { constellationId: c.id, version: c.version, tier, ordinal: mb.ordinal, nodeId: s.nodeId, policy });
        jobId = job.id;
        await m.query('RELEASE SAVEPOINT guarantee_step');
        await m.query('UPDATE guarantee_attempts SET job_id = $2 WHERE id = $1', [attemptId, jobId]);
      } catch (err) {
        await m.query('ROLLBACK TO SAVEPOINT guarantee_step');
        await m.query('UPDATE guarantee_attempts SET detail = $2 WHERE id = $1', [attemptId, `not started: ${(err as Error).message}`.slice(0, 2000)]);
      }
      ladders.set(s.nodeId, { ...ladder, attemptId, attempts: ladder.attempts + 1 });
      await audit.record(ACTOR, 'constellation.remediate', { type: 'constellation', id: c.id }, { tier, key: s.key, nodeId: s.nodeId, step: s.step, reason: s.reason, jobId, by: deps.instance }, { manager: m, outcome: jobId ? 'success' : 'failure' });
      events.push({ type: 'guarantee', constellationId: c.id, tier, key: s.key, nodeId: s.nodeId, step: s.step, state: jobId ? 'started' : 'failed', jobId });
      result.started.push({ key: s.key, step: s.step, jobId });
    }
    const gone = members.filter((x) => x.gone && !(ladders.get(x.nodeId) ?? x.ladder)?.attemptId).map((x) => x.nodeId);
    batch.forget.push(...gone);
    for (const [nodeId, ladder] of ladders) if (!gone.includes(nodeId)) batch.ladders.push({ constellationId: c.id, tier, nodeId, ladder });
    if (d.failures || d.trip) {
      await m.query(
        `INSERT INTO guarantee_tiers (constellation_id, tier, failures) VALUES ($1, $2, $3::timestamptz[])
         ON CONFLICT (constellation_id, tier) DO UPDATE SET failures = EXCLUDED.failures, updated_at = now()`,
        [c.id, tier, (d.failures ?? []).map((f) => f.toISOString())],
      );
    }
    if (d.trip) await trip(m, c, tier, members, d.trip, events);
    if (d.trip) result.tripped.push(`${c.name}/${tier}`);
  }

  /** Opens the tier's breaker and raises an alert on the member whose remediation failed last. */
  async function trip(m: EntityManager, c: ConstellationRow, tier: string, members: MemberInput[], reason: string, events: OvermindEvent[]): Promise<void> {
    const [last] = await m.query(
      `SELECT a.node_id FROM guarantee_attempts a JOIN nodes n ON n.id = a.node_id WHERE a.constellation_id = $1 AND a.tier = $2 ORDER BY a.started_at DESC LIMIT 1`,
      [c.id, tier],
    );
    const nodeId: string | null = last?.node_id ?? members.find((x) => !x.gone)?.nodeId ?? null;
    const summary = `Service guarantee of ${c.name}/${tier} stopped: ${reason}. Reset the breaker once the cause is fixed.`;
    const [alert] = nodeId
      ? await m.query(
        `WITH x AS (INSERT INTO alerts (rule_id, rule_name, node_id, state, summary) VALUES (NULL, $1, $2, 'firing', $3) RETURNING *) SELECT x.*, n.name AS node_name FROM x JOIN nodes n ON n.id = x.node_id`,
        [`Service guarantee ${c.name}/${tier}`, nodeId, summary],
      )
      : [];
    await m.query(
      `UPDATE guarantee_tiers SET breaker = 'open', tripped_at = now(), tripped_reason = $3, alert_id = $4, updated_at = now() WHERE constellation_id = $1 AND tier = $2`,
      [c.id, tier, reason, alert?.id ?? null],
    );
    await audit.record(ACTOR, 'constellation.guarantee.trip', { type: 'constellation', id: c.id }, { tier, reason, alertId: alert?.id ?? null }, { manager: m });
    events.push({ type: 'guarantee', constellationId: c.id, tier, key: null, nodeId, step: null, state: 'tripped', jobId: null });
    if (alert) {
      events.push({
        type: 'alert', id: alert.id, ruleId: null, ruleName: alert.rule_name, nodeId: alert.node_id, state: 'firing', summary: summary.slice(0, 200),
        firedAt: new Date(alert.fired_at).toISOString(), resolvedAt: null, acknowledgedAt: null,
      });
    }
  }

  return {
    /** One pass over every guaranteed tier; null when another reconciler holds the lock. */
    async pass(now = new Date()): Promise<PassResult | null> {
      return db.transaction(async (m) => {
        const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock(${GUARANTEE_LOCK_KEY}) AS locked`);
        if (!locked) return null;
        const result: PassResult = { instance: deps.instance, tiers: 0, members: 0, started: [], finished: 0, tripped: [], inFlight: [] };
        const constellations: ConstellationRow[] = await m.query(
          `SELECT c.id, c.name, v.version, v.spec,
                  EXISTS (SELECT 1 FROM jobs j WHERE j.target_id = c.id AND j.type IN ('constellation.apply', 'constellation.destroy') AND j.state IN ('queued', 'running')) AS applying
             FROM constellations c JOIN constellation_versions v ON v.constellation_id = c.id AND v.version = coalesce(c.target_version, c.latest_version)
            WHERE c.destroyed_at IS NULL AND v.spec->'tiers' @> '[{"health": {}}]'`,
        );
        // An apply or destroy in progress is changing the members: the guarantee waits for it.
        const active = constellations.filter((c) => !c.applying);
        if (active.length === 0) return result;
        const ids = active.map((c) => c.id);
        const members = await readMembers(m, ids);
        const tierRows: { constellation_id: string; tier: string; breaker: string; failures: Date[] }[] = await m.query(
          'SELECT constellation_id, tier, breaker, failures FROM guarantee_tiers WHERE constellation_id = ANY($1::uuid[])',
          [ids],
        );
        const tierState = new Map(tierRows.map((t) => [`${t.constellation_id}/${t.tier}`, t]));
        const batch: Batch = { ladders: [], forget: [], finished: [], events: [] };
        for (const c of active) {
          for (const spec of c.spec.tiers) {
            const policy = policyOf(spec);
            if (!policy) continue;
            const key = `${c.id}/${spec.name}`;
            const list = members.get(key) ?? [];
            const state = tierState.get(key);
            const input: TierInput = { constellationId: c.id, tier: spec.name, policy, breakerOpen: state?.breaker === 'open', failures: (state?.failures ?? []).map((f) => new Date(f)), members: list };
            const decision = decideTier(input, now);
            result.tiers++;
            result.members += list.length;
            for (const mb of list) if (mb.attempt && !decision.finished.some((f) => f.attemptId === mb.attempt!.id)) result.inFlight.push({ nodeId: mb.nodeId, step: mb.attempt.step, startedBy: mb.attempt.startedBy });
            if (decision.ladders.length + decision.finished.length + decision.starts.length > 0 || decision.failures || decision.trip) {
              await write(m, c, spec.name, policy, list, decision, result, batch);
            }
          }
        }
        await flush(m, batch);
        return result;
      });
    },
  };
}

export type GuaranteeReconciler = ReturnType<typeof createGuaranteeReconciler>;
