/**
 * The parent job of an apply (or a destroy, or the service guarantee's replace): each run looks at its steps (constellation_steps) and
 * their member jobs, moves finished steps on, starts the steps whose dependency tiers are done, and
 * waits again (JobContinue) without holding a worker. Every member action is an ordinary node job
 * (node.create and its chained node.configure, node.configure, node.destroy), so it shows, retries
 * and fails like any other; a failed step skips the steps of the tiers that depend on it.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { NodeEntity, ServerRoleNodeEntity } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { enqueueConfigure, type ConfigureQueueDeps } from '../cm/configure-queue.js';
import { JobContinue, type JobContext, type JobHandler } from '../jobs/job-runner.js';
import type { JobService } from '../jobs/job-service.js';
import type { NodeService } from '../nodes/node-service.js';
import { ensureTierBalancers, removeTierBalancers, updateTierHealthChecks, type TierBalancers } from './constellation-balancers.js';
import { memberConfig } from './constellation-members.js';
import { memberKey } from './constellation-outputs.js';
import type { ConstellationService } from './constellation-service.js';
import type { ConstellationSpec } from './constellation-spec.js';

interface StepRow {
  seq: number;
  tier: string;
  ordinal: number;
  action: 'create' | 'configure' | 'replace' | 'destroy' | 'attach';
  node_id: string | null;
  phase: 'pending' | Phase;
  phase_started_at: Date | null;
  state: 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';
  child_job_id: string | null;
  /** A step of the same job that must succeed first (a replacement's destroy waits for its create). */
  after_seq: number | null;
  error: string | null;
  child_state: string | null;
  child_error: string | null;
  child_type: string | null;
}

type Phase = 'draining' | 'destroying' | 'creating' | 'configuring' | 'attaching';

const DONE = new Set(['succeeded', 'failed', 'skipped']);

/** The first phase of each action: a member leaves its balancer (drained) before its node goes. */
const FIRST_PHASE: Record<StepRow['action'], Phase> = { create: 'creating', configure: 'configuring', replace: 'draining', destroy: 'draining', attach: 'attaching' };

/** Node health that lets a new member into its balancer: an agent or checks that say ok, or none reporting. */
const READY_HEALTH = new Set([null, 'ok']);

export function createConstellationApplyHandlers(deps: ConfigureQueueDeps & {
  db: DataSource;
  jobs: Pick<JobService, 'enqueue' | 'activeFor'>;
  nodes: Pick<NodeService, 'create' | 'act'>;
  constellations: Pick<ConstellationService, 'resolve'>;
  balancers: TierBalancers;
  /** How long the parent waits between looks at its member jobs. */
  pollMs: number;
  /** How long a new member may take to become healthy (agent, checks) before the step fails; 10 minutes by default. */
  memberReadyMs?: number;
}) {
  const memberReadyMs = deps.memberReadyMs ?? 600_000;
  const { db } = deps;

  async function steps(jobId: string): Promise<StepRow[]> {
    return db.query(
      `SELECT s.*, j.state AS child_state, j.error AS child_error, j.type AS child_type
         FROM constellation_steps s LEFT JOIN jobs j ON j.id = s.child_job_id WHERE s.job_id = $1 ORDER BY s.seq`,
      [jobId],
    );
  }

  const setStep = (jobId: string, seq: number, patch: Partial<Pick<StepRow, 'phase' | 'phase_started_at' | 'state' | 'child_job_id' | 'error' | 'node_id'>>, m: Pick<EntityManager, 'query'> = db) => {
    const keys = Object.keys(patch) as (keyof typeof patch)[];
    return m.query(`UPDATE constellation_steps SET ${keys.map((k, i) => `${k} = $${i + 3}`).join(', ')} WHERE job_id = $1 AND seq = $2`, [jobId, seq, ...keys.map((k) => patch[k])]);
  };

  return {
    handler(): JobHandler {
      return {
        async run(ctx: JobContext) {
          const job = ctx.job;
          const [c] = await db.query('SELECT id, name FROM constellations WHERE id = $1', [job.targetId]);
          if (!c) throw new Error(`constellation ${job.targetId} no longer exists`);
          const destroying = job.type === 'constellation.destroy';
          const version = (job.payload as { version?: number }).version;
          const spec: ConstellationSpec | null = destroying ? null : (await db.query('SELECT spec FROM constellation_versions WHERE constellation_id = $1 AND version = $2', [c.id, version]))[0]?.spec;
          const dependsOn = (tier: string) => spec?.tiers.find((t) => t.name === tier)?.dependsOn ?? [];
          const membership = (tier: string) => spec?.tiers.find((t) => t.name === tier)?.balancer;
          /** The tier's live balancer and the node's row in it. */
          const tierBalancer = async (s: StepRow) => {
            const b = (await deps.balancers.ofConstellation(c.id)).find((x) => x.tier === s.tier);
            return { b, member: b?.members.find((m) => m.nodeId === s.node_id) };
          };
          const actor: Actor = { id: job.createdBy, username: `constellation:${c.name}`, role: 'operator', ip: null, requestId: null };
          const log = (s: Pick<StepRow, 'tier' | 'ordinal' | 'action'>, line: string, level?: 'info' | 'warn' | 'error') => ctx.log(`[${memberKey(s.tier, s.ordinal)} ${s.action}] ${line}`, level);
          const fail = async (s: StepRow, error: string) => {
            s.state = 'failed';
            s.error = error;
            log(s, error, 'error');
            await setStep(job.id, s.seq, { state: 'failed', error });
          };

          /** Starts a step's next phase: queues its member job (or, for the balancer phases, waits until it can). */
          async function launch(s: StepRow, phase: Phase): Promise<void> {
            const entering = s.phase !== phase || s.state !== 'running';
            s.phase = phase;
            s.state = 'running';
            if (entering) s.phase_started_at = new Date();
            // Running before its job is queued: a run cut short here finds the job (recover) instead of queuing a second.
            await setStep(job.id, s.seq, { phase, state: 'running', child_job_id: null, ...(entering ? { phase_started_at: s.phase_started_at } : {}) });
            if (phase === 'draining') {
              const { b, member } = await tierBalancer(s);
              if (!b || !member) return advancePhase(s);
              // A member on its way out already (another job) is waited for; one being created cannot be detached yet.
              if (member.state === 'detaching' || b.state === 'creating') return;
              await db.transaction(async (m) => {
                const child = await deps.balancers.detach(actor, b.id, s.node_id!, m);
                await setStep(job.id, s.seq, { child_job_id: child.id }, m);
                log(s, `draining out of balancer ${b.name}: balancer.detach job ${child.id}`);
              });
            } else if (phase === 'attaching') {
              const { b, member } = await tierBalancer(s);
              if (!b) {
                if (!membership(s.tier)) return advancePhase(s);
                if (entering) log(s, 'waiting for the tier\'s balancer to be made');
                return;
              }
              if (b.state === 'creating') {
                if (entering) log(s, `waiting for balancer ${b.name} to be made`);
                return;
              }
              if (b.state === 'error' && !b.providerBalancerId) return fail(s, `balancer ${b.name} was not made: ${b.stateMessage ?? 'no reason given'}`);
              if (member && member.state !== 'error') return advancePhase(s);
              const [node] = await db.query('SELECT name, health FROM nodes WHERE id = $1', [s.node_id]);
              if (!READY_HEALTH.has(node?.health ?? null)) {
                const waited = Date.now() - new Date(s.phase_started_at ?? Date.now()).getTime();
                if (waited > memberReadyMs) return fail(s, `node ${node?.name} is still ${node?.health} after ${Math.round(waited / 1000)} s; not added to balancer ${b.name}`);
                if (entering) log(s, `waiting for node ${node?.name} to be healthy (now ${node?.health}) before it joins balancer ${b.name}`);
                return;
              }
              await db.transaction(async (m) => {
                const child = await deps.balancers.attach(actor, b.id, s.node_id!, m);
                await setStep(job.id, s.seq, { child_job_id: child.id }, m);
                log(s, `joining balancer ${b.name}: balancer.attach job ${child.id}`);
              });
            } else if (phase === 'destroying') {
              const [node] = await db.query('SELECT destroyed_at IS NOT NULL OR decommissioned_at IS NOT NULL AS gone FROM nodes WHERE id = $1', [s.node_id]);
              if (!node || node.gone) {
                log(s, 'the node is gone already');
                return advancePhase(s);
              }
              const child = await deps.nodes.act(actor, s.node_id!, 'destroy');
              log(s, `node.destroy job ${child.id}`);
              await setStep(job.id, s.seq, { child_job_id: child.id });
            } else if (phase === 'creating') {
              resolved ??= await deps.constellations.resolve({ tiers: spec!.tiers }, 'spec');
              const tier = resolved.find((t) => t.spec.name === s.tier)!;
              let publicKey: string | undefined;
              if (tier.role) [{ key: publicKey }] = await db.query(`SELECT ssh->>'publicKey' AS key FROM server_roles WHERE id = $1`, [tier.role.id]);
              const child = await deps.nodes.create(actor, { ...tier.machine, name: `${c.name}-${memberKey(s.tier, s.ordinal)}`, ...(publicKey ? { sshPublicKey: publicKey } : {}) }, {
                withNode: async (m, nodeId) => {
                  // The key's previous node (gone, or destroyed by this step) gives its place to the new one.
                  await m.query('DELETE FROM constellation_members WHERE constellation_id = $1 AND tier = $2 AND ordinal = $3', [c.id, s.tier, s.ordinal]);
                  await m.query('INSERT INTO constellation_members (constellation_id, tier, ordinal, node_id) VALUES ($1, $2, $3, $4)', [c.id, s.tier, s.ordinal, nodeId]);
                  if (tier.role) await m.insert(ServerRoleNodeEntity, { nodeId, serverRoleId: tier.role.id });
                  await setStep(job.id, s.seq, { node_id: nodeId }, m);
                },
              });
              s.node_id = child.targetId;
              log(s, `node.create job ${child.id} (node ${child.targetId})`);
              await setStep(job.id, s.seq, { child_job_id: child.id });
            } else {
              const child = await db.transaction(async (m) => {
                const node = await m.findOne(NodeEntity, { where: { id: s.node_id! }, lock: { mode: 'pessimistic_write' } });
                if (!node || node.destroyedAt || node.decommissionedAt) throw new Error('the node is gone');
                const active = await deps.jobs.activeFor(node.id, m);
                if (active) throw new Error(`the node has a job in progress (${active.type} ${active.id})`);
                const queued = await enqueueConfigure(deps, m, node, job.createdBy);
                await setStep(job.id, s.seq, { child_job_id: queued.id }, m);
                return queued;
              });
              log(s, `node.configure job ${child.id}`);
            }
          }

          /** The current phase's job succeeded: the next phase, or the step is done. */
          async function advancePhase(s: StepRow): Promise<void> {
            if (s.phase === 'draining') return launch(s, 'destroying');
            if (s.phase === 'destroying') {
              await db.query('DELETE FROM constellation_members WHERE node_id = $1', [s.node_id]);
              if (s.action === 'replace') return launch(s, 'creating');
              return succeed(s);
            }
            if (s.phase === 'creating') {
              const [row] = await db.query('SELECT first_configure_job_id AS id FROM server_role_nodes WHERE node_id = $1', [s.node_id]);
              if (row) {
                if (!row.id) return fail(s, 'the node was created but its configure was not queued (it is not running)');
                s.phase = 'configuring';
                log(s, `node.configure job ${row.id}`);
                await setStep(job.id, s.seq, { phase: 'configuring', child_job_id: row.id });
                return;
              }
            }
            if (s.phase === 'configuring' || (s.phase === 'creating' && s.node_id)) {
              const config = await memberConfig(db, s.node_id!);
              if (config?.hash) await db.query('UPDATE constellation_members SET applied_hash = $2 WHERE node_id = $1', [s.node_id, config.hash]);
            }
            if (s.phase !== 'attaching' && membership(s.tier)) return launch(s, 'attaching');
            return succeed(s);
          }

          async function succeed(s: StepRow): Promise<void> {
            s.state = 'succeeded';
            log(s, 'done');
            await setStep(job.id, s.seq, { state: 'succeeded', error: null });
          }

          /** A step marked running whose job id was not recorded (the last run stopped in between). */
          async function recover(s: StepRow): Promise<void> {
            // A balancer phase records its job with the job itself: without one it has not queued any (or is waiting).
            if (s.phase === 'draining' || s.phase === 'attaching') return launch(s, s.phase);
            const type = s.phase === 'destroying' ? 'node.destroy' : s.phase === 'creating' ? 'node.create' : 'node.configure';
            const [found] = s.node_id
              ? await db.query('SELECT id FROM jobs WHERE target_id = $1 AND type = $2 AND created_at >= $3 ORDER BY created_at DESC LIMIT 1', [s.node_id, type, job.createdAt])
              : [];
            if (found) await setStep(job.id, s.seq, { child_job_id: found.id });
            else await launch(s, s.phase as Phase);
          }

          let resolved: Awaited<ReturnType<ConstellationService['resolve']>> | undefined;
          if (spec) {
            await ensureTierBalancers(deps, actor, c.id, spec.tiers, async (tier) => {
              resolved ??= await deps.constellations.resolve({ tiers: spec.tiers }, 'spec');
              return resolved.find((t) => t.spec.name === tier)!.machine;
            }, (line) => ctx.log(line));
          }
          const all = await steps(job.id);
          for (const s of all.filter((x) => x.state === 'running' && !x.child_job_id)) await recover(s).catch((err: Error) => fail(s, err.message));
          // Running steps whose member job has finished.
          for (const s of all.filter((x) => x.state === 'running' && x.child_state)) {
            if (s.child_state === 'succeeded') await advancePhase(s).catch((err: Error) => fail(s, err.message));
            else if (s.child_state === 'failed' || s.child_state === 'cancelled') await fail(s, `${s.child_type} job ${s.child_job_id} ${s.child_state}: ${s.child_error ?? 'no reason given'}`);
          }
          // Pending steps whose dependency tiers are done (or failed: then they are skipped, saying why).
          for (const s of all.filter((x) => x.state === 'pending')) {
            const before = all.filter((x) => dependsOn(s.tier).includes(x.tier) || x.seq === s.after_seq);
            const broken = before.find((x) => x.state === 'failed' || x.state === 'skipped');
            if (broken) {
              s.state = 'skipped';
              s.error = broken.tier === s.tier ? `${memberKey(broken.tier, broken.ordinal)} ${broken.action} ${broken.state}` : `tier ${broken.tier} did not finish: ${memberKey(broken.tier, broken.ordinal)} ${broken.action} ${broken.state}`;
              log(s, `skipped: ${s.error}`, 'warn');
              await setStep(job.id, s.seq, { state: 'skipped', error: s.error });
            } else if (before.every((x) => x.state === 'succeeded')) {
              await launch(s, FIRST_PHASE[s.action]).catch((err: Error) => fail(s, err.message));
            }
          }
          const done = all.filter((s) => DONE.has(s.state)).length;
          await ctx.progress(all.length === 0 ? 100 : (done / all.length) * 100);
          if (done < all.length) return new JobContinue(deps.pollMs);

          const failed = all.filter((s) => s.state === 'failed');
          const skipped = all.filter((s) => s.state === 'skipped');
          if (failed.length + skipped.length === 0) {
            // The members are out of them: the balancers of tiers that left the spec (all, on destroy) go.
            const keep = new Set((spec?.tiers ?? []).filter((t) => t.balancer).map((t) => t.name));
            if ((await removeTierBalancers(deps, actor, c.id, keep, job.createdAt, (line) => ctx.log(line))) > 0) return new JobContinue(deps.pollMs);
            if (spec && (await updateTierHealthChecks(deps, actor, c.id, spec.tiers, job.createdAt, (line) => ctx.log(line))) > 0) return new JobContinue(deps.pollMs);
          }
          if (failed.length + skipped.length > 0) {
            const name = (s: StepRow) => `${memberKey(s.tier, s.ordinal)} ${s.action}`;
            throw new Error(`${failed.length} step(s) failed${skipped.length ? `, ${skipped.length} skipped` : ''}: ${[...failed, ...skipped].map((s) => `${name(s)}: ${s.error}`).join('; ')}`);
          }
          if (destroying) await db.query('UPDATE constellations SET destroyed_at = now(), updated_at = now() WHERE id = $1', [c.id]);
          else if (job.type === 'constellation.apply') await db.query('UPDATE constellations SET applied_version = $2, updated_at = now() WHERE id = $1', [c.id, version]);
          ctx.log(`${all.length} step(s) done`);
          return { steps: all.length, version: version ?? null };
        },
      };
    },
  };
}
