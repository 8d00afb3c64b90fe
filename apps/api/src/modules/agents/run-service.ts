/**
 * Runs: work for nodes' agents, each part of a job. A job handler creates them and leaves the job
 * running (JobDeferred); whichever API process holds a node's agent connection offers its runs, and
 * records what comes back: log lines once per (run, seq), the result once. The job ends when its last
 * run does, by result, deadline or cancel, in whichever process saw that.
 */
import type { CommandSpec, ConvergeSpec, LogLineMessage, RunFinishedMessage, RunOffer } from '@overmind/agent-protocol';
import type { DataSource, EntityManager } from 'typeorm';
import type { JobRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import type { SecretBox } from '../../lib/secret-box.js';
import { SecretMask } from '@overmind/cm';
import type { EventBus } from '../events/event-bus.js';
import type { MaybeTransaction } from '../events/post-commit-notifier.js';
import { jobLogEventSql } from '../jobs/job-log-writer.js';
import { jobEventSql } from '../jobs/job-service.js';
import { storableText } from '../jobs/log-text.js';
import { nodeEvent, type NodeEventRow } from '../nodes/node-events.js';
import { sendSignal } from './agent-signals.js';
import { closingLine, jobOutcome, linePrefix, type EndedRun } from './run-outcomes.js';

export type RunSpec = { kind: 'command'; spec: CommandSpec } | { kind: 'converge'; spec: ConvergeSpec };

export interface RunRequest {
  nodeId: string;
  run: RunSpec;
  deadline: Date;
}

interface RunMeta {
  jobId: string;
  prefix: string;
  mask: SecretMask;
}

const OPEN = `('queued', 'running')`;

const ENDED_COLUMNS = `r.id, r.job_id AS "jobId", r.node_id AS "nodeId", n.name AS "nodeName", r.kind, r.state,
  r.exit_code AS "exitCode", r.signal, r.summary, r.error, r.failed_step AS "failedStep"`;

/** A converge's secret attributes, a command's environment: masked in what the agent sends back. */
export function maskOfSpec(run: RunSpec): SecretMask {
  const mask = new SecretMask();
  mask.addLeaves(run.kind === 'command' ? (run.spec.env ?? {}) : run.spec.secretAttributes);
  return mask;
}

export function createRunService(deps: {
  db: DataSource;
  secrets: SecretBox;
  events: Pick<EventBus, 'publishMany' | 'notify'>;
  log: { error(obj: unknown, msg: string): void };
}) {
  const { db, secrets } = deps;
  const metas = new Map<string, RunMeta>();

  async function meta(runId: string, nodeId: string): Promise<RunMeta | null> {
    const known = metas.get(runId);
    if (known) return known;
    const [row] = await db.query(
      `SELECT r.job_id, r.kind, r.spec_enc, j.type, n.name FROM agent_runs r JOIN jobs j ON j.id = r.job_id JOIN nodes n ON n.id = r.node_id
        WHERE r.id = $1 AND r.node_id = $2`,
      [runId, nodeId],
    );
    if (!row) return null;
    const mask = maskOfSpec({ kind: row.kind, spec: secrets.openJson(row.spec_enc) } as RunSpec);
    const found = { jobId: row.job_id as string, prefix: linePrefix(row.type, row.name), mask };
    if (metas.size > 10_000) metas.delete(metas.keys().next().value!);
    metas.set(runId, found);
    return found;
  }

  async function insertLines(m: MaybeTransaction, jobId: string, lines: { level: string; line: string; runId?: string; seq?: number }[]): Promise<void> {
    const [row] = await m.query(
      `WITH w AS (
         INSERT INTO job_logs (job_id, level, line, run_id, run_seq)
         SELECT $1, x.l, x.t, x.r, x.s FROM unnest($2::text[], $3::text[], $4::uuid[], $5::int[]) AS x(l, t, r, s)
         ON CONFLICT (run_id, run_seq) WHERE run_id IS NOT NULL DO NOTHING RETURNING id)
       SELECT ${jobLogEventSql('$1::uuid')} AS event FROM w HAVING count(*) > 0`,
      [jobId, lines.map((l) => l.level), lines.map((l) => storableText(l.line)), lines.map((l) => l.runId ?? null), lines.map((l) => l.seq ?? null)],
    );
    deps.events.notify(m, [row?.event]);
  }

  /** A converge run's end moves its node: running when it converged, error when it did not. */
  async function moveNodes(m: EntityManager, runs: EndedRun[]): Promise<void> {
    const converges = runs.filter((r) => r.kind === 'converge');
    if (converges.length === 0) return;
    const states = converges.map((r) => ({ id: r.nodeId, state: r.state === 'failed' || r.state === 'timed-out' ? 'error' : 'running', ok: r.state === 'succeeded' }));
    const [nodes] = await m.query(
      `UPDATE nodes n SET state = x.state, updated_at = now() FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, state text, ok boolean)
        WHERE n.id = x.id AND n.state = 'configuring' AND n.destroyed_at IS NULL
        RETURNING n.id, n.provider_id AS "providerId", n.name, n.state, n.public_ips AS "publicIps", n.private_ips AS "privateIps",
                  n.destroyed_at AS "destroyedAt", n.decommissioned_at AS "decommissionedAt"`,
      [JSON.stringify(states)],
    );
    await m.query(
      `UPDATE server_role_nodes s SET last_configured_at = now(), last_configure_status = CASE WHEN x.ok THEN 'succeeded' ELSE 'failed' END
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, state text, ok boolean) WHERE s.node_id = x.id`,
      [JSON.stringify(states)],
    );
    await deps.events.publishMany((nodes as NodeEventRow[]).map(nodeEvent), m);
  }

  /** Ends the job once none of its runs is open; otherwise shows its progress. */
  async function settleJob(m: EntityManager, jobId: string): Promise<void> {
    const [job] = (await m.query(`SELECT id, type, payload, result, state FROM jobs WHERE id = $1 FOR UPDATE`, [jobId])) as (Pick<JobRow, 'id' | 'type' | 'payload' | 'result'> & { state: string })[];
    if (!job || job.state !== 'running') return;
    const runs: (EndedRun & { open: boolean })[] = await m.query(
      `SELECT ${ENDED_COLUMNS}, r.state IN ${OPEN} AS open FROM agent_runs r JOIN nodes n ON n.id = r.node_id WHERE r.job_id = $1 ORDER BY r.created_at, r.id`,
      [jobId],
    );
    const open = runs.filter((r) => r.open).length;
    if (open > 0) {
      const pushed = ((job.result?.results as unknown[] | undefined) ?? []).length;
      const total = pushed + runs.length;
      const progress = Math.floor(((total - open) / Math.max(1, total)) * 100);
      const [row] = await m.query(`WITH j AS (UPDATE jobs SET progress = $2, updated_at = now() WHERE id = $1 RETURNING *) SELECT ${jobEventSql('j')} AS event FROM j`, [jobId, progress]);
      deps.events.notify(m, [row?.event]);
      return;
    }
    const outcome = jobOutcome(job, runs);
    await insertLines(m, jobId, [{ level: outcome.state === 'succeeded' ? 'info' : 'error', line: outcome.state === 'failed' ? `failed: ${outcome.error}` : outcome.summaryLine }]);
    const [row] = await m.query(
      `WITH j AS (UPDATE jobs SET state = $2, result = $3, error = $4, progress = 100, finished_at = now(), updated_at = now() WHERE id = $1 RETURNING *)
       SELECT ${jobEventSql('j')} AS event FROM j`,
      [jobId, outcome.state, outcome.result === null ? null : JSON.stringify(outcome.result), outcome.error],
    );
    deps.events.notify(m, [row?.event]);
  }

  /** Closing lines, node states and job ends for runs that just ended (in `m`'s transaction). */
  async function ended(m: EntityManager, runs: EndedRun[]): Promise<void> {
    if (runs.length === 0) return;
    const types = new Map<string, string>(((await m.query(`SELECT id, type FROM jobs WHERE id = ANY($1::uuid[])`, [[...new Set(runs.map((r) => r.jobId))]])) as { id: string; type: string }[]).map((j) => [j.id, j.type]));
    for (const run of runs) {
      const { line, level } = closingLine(types.get(run.jobId) ?? '', run);
      await insertLines(m, run.jobId, [{ level, line }]);
      metas.delete(run.id);
    }
    await moveNodes(m, runs);
    for (const jobId of new Set(runs.map((r) => r.jobId))) await settleJob(m, jobId);
  }

  return {
    /**
     * Records runs for a job (again after a retry: one per job and node), with the results the handler
     * already has (nodes it did over SSH), and tells the process holding each node's agent.
     */
    async create(m: EntityManager, job: Pick<JobRow, 'id'>, requests: RunRequest[], partialResult?: Record<string, unknown>): Promise<void> {
      const rows = requests.map((r) => ({ node: r.nodeId, kind: r.run.kind, spec: secrets.sealJson(r.run.spec), deadline: r.deadline.toISOString() }));
      await m.query(
        `INSERT INTO agent_runs (job_id, node_id, kind, spec_enc, state, deadline)
         SELECT $1, x.node, x.kind, x.spec, 'queued', x.deadline FROM jsonb_to_recordset($2::jsonb) AS x(node uuid, kind text, spec text, deadline timestamptz)
         ON CONFLICT (job_id, node_id) DO NOTHING`,
        [job.id, JSON.stringify(rows)],
      );
      if (partialResult) await m.query(`UPDATE jobs SET result = $2 WHERE id = $1`, [job.id, JSON.stringify(partialResult)]);
      await sendSignal(m, { t: 'runs', nodes: requests.map((r) => r.nodeId) });
    },

    /** Open runs of these nodes, oldest first, by node: what their agents are offered (one query for many agents). */
    async offersFor(nodeIds: string[]): Promise<Map<string, RunOffer[]>> {
      const rows: { id: string; node_id: string; kind: 'command' | 'converge'; spec_enc: string; deadline: Date }[] = await db.query(
        `SELECT id, node_id, kind, spec_enc, deadline FROM agent_runs WHERE node_id = ANY($1::uuid[]) AND state IN ${OPEN} ORDER BY created_at`,
        [nodeIds],
      );
      const out = new Map<string, RunOffer[]>();
      for (const r of rows) {
        const offer = { id: r.id, kind: r.kind, deadline: new Date(r.deadline).toISOString(), spec: secrets.openJson(r.spec_enc) } as RunOffer;
        out.set(r.node_id, [...(out.get(r.node_id) ?? []), offer]);
      }
      return out;
    },

    /** The agent has the run: it is running from now on. False for a run not open for this node. */
    async accept(nodeId: string, agentId: string, runId: string): Promise<boolean> {
      return db.transaction(async (m) => {
        const [rows] = await m.query(
          `UPDATE agent_runs SET state = 'running', accepted_at = now(), agent_id = $3 WHERE id = $1 AND node_id = $2 AND state = 'queued' RETURNING job_id`,
          [runId, nodeId, agentId],
        );
        if (rows.length === 0) return false;
        const info = await meta(runId, nodeId);
        await insertLines(m, rows[0].job_id, [{ level: 'info', line: `${info?.prefix ?? ''}the agent took the run` }]);
        return true;
      });
    },

    /** Stores lines once each; answers the sequence number the agent may forget up to. */
    async appendLog(nodeId: string, runId: string, seq: number, lines: LogLineMessage[]): Promise<number> {
      const last = seq + lines.length - 1;
      const info = await meta(runId, nodeId);
      if (!info) return last; // not this node's run: nothing to store, nothing for the agent to keep
      await insertLines(
        db,
        info.jobId,
        lines.map((l, i) => ({ level: 'info', line: info.mask.apply(info.prefix + l.text), runId, seq: seq + i })),
      );
      return last;
    },

    /** Records a result once; a repeated or late one (the run already ended) changes nothing. */
    async finish(nodeId: string, message: RunFinishedMessage): Promise<void> {
      const info = await meta(message.runId, nodeId);
      const clean = (text: string | null) => (text === null ? null : storableText(info ? info.mask.apply(text) : text, 4000));
      await db.transaction(async (m) => {
        // A WITH ... SELECT answers rows (a bare UPDATE ... RETURNING answers [rows, count]).
        const rows: EndedRun[] = await m.query(
          `WITH r AS (
             UPDATE agent_runs SET state = $3, finished_at = now(), exit_code = $4, signal = $5, summary = $6, error = $7,
                    failed_step = $8, log_lines = $9, duration_ms = $10
              WHERE id = $1 AND node_id = $2 AND state IN ${OPEN} RETURNING *)
           SELECT ${ENDED_COLUMNS} FROM r JOIN nodes n ON n.id = r.node_id`,
          [message.runId, nodeId, message.outcome, message.exitCode, message.signal, clean(message.summary), clean(message.error), message.failedStep ?? null, message.logLines, message.durationMs],
        );
        await ended(m, rows);
      });
    },

    async reject(nodeId: string, runId: string, reason: string): Promise<void> {
      await this.finish(nodeId, { type: 'run.finished', runId, outcome: 'failed', exitCode: null, signal: null, summary: null, error: `the agent refused the run: ${reason}`, logLines: 0, durationMs: 0 });
    },

    /** Fails runs past their deadline, saying why, and stops those an agent is still running. */
    async sweepDeadlines(): Promise<number> {
      return db.transaction(async (m) => {
        const rows: (EndedRun & { was: string })[] = await m.query(
          `WITH due AS (SELECT id, state FROM agent_runs WHERE state IN ${OPEN} AND deadline < now() ORDER BY deadline LIMIT 1000 FOR UPDATE SKIP LOCKED),
                r AS (UPDATE agent_runs a SET state = 'failed', finished_at = now(),
                        error = CASE WHEN due.state = 'queued'
                          THEN 'no agent took the run before its deadline (' || to_char(a.deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '): is the node''s agent installed, approved and connected?'
                          ELSE 'the agent reported no result before the deadline (' || to_char(a.deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ')' END
                      FROM due WHERE a.id = due.id RETURNING a.*, due.state AS was)
           SELECT ${ENDED_COLUMNS}, r.was FROM r JOIN nodes n ON n.id = r.node_id`,
          [],
        );
        const running = rows.filter((r) => r.was === 'running');
        await sendSignal(m, { t: 'cancel', runs: running.map((r) => ({ id: r.id, node: r.nodeId, reason: 'deadline passed' })) });
        await ended(m, rows);
        return rows.length;
      });
    },

    /** Cancels a deferred job's open runs (stopping them on their nodes) and so the job. False when it has none. */
    async cancelJob(m: EntityManager, jobId: string, actor: Actor): Promise<boolean> {
      const rows: EndedRun[] = await m.query(
        `WITH r AS (UPDATE agent_runs SET state = 'cancelled', finished_at = now(), error = $2 WHERE job_id = $1 AND state IN ${OPEN} RETURNING *)
         SELECT ${ENDED_COLUMNS} FROM r JOIN nodes n ON n.id = r.node_id`,
        [jobId, `cancelled by ${actor.username}`],
      );
      if (rows.length === 0) return false;
      await sendSignal(m, { t: 'cancel', runs: rows.map((r) => ({ id: r.id, node: r.nodeId, reason: `cancelled by ${actor.username}` })) });
      await ended(m, rows);
      return true;
    },

    /** Whether a job is waiting on runs (so a running job can still be cancelled). */
    async hasOpenRuns(m: EntityManager, jobId: string): Promise<boolean> {
      const [row] = await m.query(`SELECT EXISTS (SELECT 1 FROM agent_runs WHERE job_id = $1 AND state IN ${OPEN}) AS open`, [jobId]);
      return Boolean(row?.open);
    },

    /** True when the node's agent may fetch kitchens: it has a converge run open. */
    async convergeOpen(nodeId: string): Promise<boolean> {
      const [row] = await db.query(`SELECT EXISTS (SELECT 1 FROM agent_runs WHERE node_id = $1 AND kind = 'converge' AND state IN ${OPEN}) AS open`, [nodeId]);
      return Boolean(row?.open);
    },
  };
}

export type RunService = ReturnType<typeof createRunService>;
