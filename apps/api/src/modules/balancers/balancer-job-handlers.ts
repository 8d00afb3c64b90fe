/**
 * The remote half of balancers: each job reaches the provider's balancer driver (or HAProxy on the
 * balancer's host node, over the API's SSH access to it) and writes what it answered back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_HEALTH_CHECK, describeHealthCheck, NotSupportedError, type BalancerMember, type LoadBalancerDriver, type MemberSpec } from '@overmind/provider';
import type { DataSource } from 'typeorm';
import { BalancerEntity, BalancerMemberEntity, NodeEntity, type BalancerMemberRowState, type BalancerRow, type NodeRow } from '../../db/entities/index.js';
import type { JobContext, JobHandler } from '../jobs/job-runner.js';
import type { JobPayloads } from '../jobs/job-types.js';
import { opCtx, type BalancerDrivers } from './balancer-drivers.js';

/** The member a node becomes: its provider id (instances, droplets) and its first address. */
export function memberSpec(node: NodeRow, port: number): MemberSpec {
  const ip = node.privateIps[0] ?? node.publicIps[0];
  return { ...(node.providerNodeId ? { nodeId: node.providerNodeId } : {}), ...(ip ? { ip } : {}), port };
}

function matches(member: BalancerMember, spec: MemberSpec): boolean {
  if (member.port !== spec.port) return false;
  return (!!spec.nodeId && member.nodeId === spec.nodeId) || (!!spec.ip && member.ip === spec.ip);
}

const memberState = (m: BalancerMember | undefined): BalancerMemberRowState => m?.state ?? 'unknown';

export function createBalancerJobHandlers(deps: { db: DataSource; drivers: BalancerDrivers }) {
  const { withDriver } = deps.drivers;
  const balancers = deps.db.getRepository(BalancerEntity);
  const members = deps.db.getRepository(BalancerMemberEntity);
  const nodes = deps.db.getRepository(NodeEntity);


  async function load(ctx: JobContext): Promise<BalancerRow> {
    return balancers.findOneByOrFail({ id: ctx.job.targetId });
  }

  function created(b: BalancerRow): string {
    if (!b.providerBalancerId) throw new Error(`Balancer ${b.name} was never made at its provider (its create job failed)`);
    return b.providerBalancerId;
  }

  /**
   * Until the balancer's own health check passes the new member: `healthy`, or `unknown` where the
   * driver cannot tell (its health is then the agent's). Bounded by twice what the check needs to
   * call a member healthy, plus a minute for the provider to start probing.
   */
  async function waitHealthy(ctx: JobContext, lb: LoadBalancerDriver, b: BalancerRow, member: BalancerMember): Promise<BalancerMember> {
    const check = b.healthCheck ?? DEFAULT_HEALTH_CHECK;
    const deadline = Date.now() + 60_000 + 2_000 * check.healthyThreshold * (check.intervalSeconds + check.timeoutSeconds);
    let current = member;
    // What the attach answered may predate any probe: the balancer is asked at least once.
    for (let looked = false; ; looked = true) {
      if (looked && (current.state === 'healthy' || current.state === 'unknown')) return current;
      if (Date.now() > deadline) throw new Error(`member ${current.id} is still ${current.state} by the balancer's health check`);
      if (looked) await sleep(Math.min(2_000, check.intervalSeconds * 500), undefined, { signal: ctx.signal });
      const seen = (await lb.getBalancer(created(b), opCtx(ctx)))?.members.find((x) => x.id === member.id);
      if (!seen) throw new Error(`member ${member.id} left balancer ${b.name} while it was waiting to become healthy`);
      if (seen.state !== current.state) ctx.log(`member ${seen.id} is ${seen.state}`);
      current = seen;
    }
  }

  const create: JobHandler = {
    async run(ctx) {
      const b = await load(ctx);
      const rows = await members.findBy({ balancerId: b.id });
      const byId = new Map((await nodes.findBy(rows.map((r) => ({ id: r.nodeId })))).map((n) => [n.id, n]));
      const specs = rows.filter((r) => byId.has(r.nodeId)).map((r) => ({ nodeId: r.nodeId, spec: memberSpec(byId.get(r.nodeId)!, b.memberPort) }));
      const made = await withDriver(ctx, b, (lb) =>
        lb.createBalancer(
          {
            name: b.name,
            port: b.port,
            protocol: b.protocol,
            algorithm: b.algorithm,
            members: specs.map((s) => s.spec),
            ...(b.healthCheck ? { healthCheck: b.healthCheck } : {}),
            ...(b.locationId ? { locationId: b.locationId } : {}),
            // The row's id: a retried job finds what the first attempt made.
            idempotencyKey: b.id,
            extra: b.options,
          },
          opCtx(ctx),
        ),
      );
      await balancers.update({ id: b.id }, { providerBalancerId: made.id, state: made.state, address: made.address, stateMessage: null });
      for (const s of specs) {
        const m = made.members.find((x) => matches(x, s.spec));
        await members.update({ balancerId: b.id, nodeId: s.nodeId }, { memberId: m?.id ?? null, state: memberState(m), stateMessage: m ? null : 'not listed by the balancer' });
      }
      ctx.log(`balancer ${made.id} is ${made.state}${made.address ? ` at ${made.address}` : ''}`);
      return { providerBalancerId: made.id, state: made.state, address: made.address, members: made.members.length };
    },
    async onFailure(ctx, error) {
      await balancers.update({ id: ctx.job.targetId }, { state: 'error', stateMessage: error.slice(0, 2000) });
      await members.update({ balancerId: ctx.job.targetId, state: 'attaching' }, { state: 'error', stateMessage: 'the balancer was not created' });
    },
  };

  const destroy: JobHandler = {
    async run(ctx) {
      const b = await load(ctx);
      if (b.providerBalancerId) {
        const id = b.providerBalancerId;
        await withDriver(ctx, b, (lb) => lb.destroyBalancer(id, opCtx(ctx)));
      }
      await deps.db.transaction(async (m) => {
        await m.update(BalancerEntity, { id: b.id }, { state: 'destroyed', destroyedAt: new Date(), stateMessage: null });
        await m.delete(BalancerMemberEntity, { balancerId: b.id });
      });
      return { destroyed: b.providerBalancerId };
    },
    async onFailure(ctx, error) {
      await balancers.update({ id: ctx.job.targetId }, { state: 'error', stateMessage: error.slice(0, 2000) });
    },
  };

  const attach: JobHandler = {
    async run(ctx) {
      const { nodeId } = ctx.job.payload as JobPayloads['balancer.attach'];
      const b = await load(ctx);
      const node = await nodes.findOneByOrFail({ id: nodeId });
      const spec = memberSpec(node, b.memberPort);
      const id = created(b);
      const m = await withDriver(ctx, b, async (lb) => {
        const attached = await lb.attachMember(id, spec, opCtx(ctx));
        await members.update({ balancerId: b.id, nodeId }, { memberId: attached.id, state: attached.state, stateMessage: null });
        ctx.log(`node ${node.name} is member ${attached.id} of balancer ${b.name}`);
        return waitHealthy(ctx, lb, b, attached);
      });
      await members.update({ balancerId: b.id, nodeId }, { state: m.state });
      return { memberId: m.id, state: m.state };
    },
    async onFailure(ctx, error) {
      const { nodeId } = ctx.job.payload as JobPayloads['balancer.attach'];
      await members.update({ balancerId: ctx.job.targetId, nodeId }, { state: 'error', stateMessage: error.slice(0, 2000) });
    },
  };

  const detach: JobHandler = {
    async run(ctx) {
      const { nodeId } = ctx.job.payload as JobPayloads['balancer.detach'];
      const b = await load(ctx);
      const row = await members.findOneBy({ balancerId: b.id, nodeId });
      if (row?.memberId && b.providerBalancerId) {
        const [id, memberId] = [b.providerBalancerId, row.memberId];
        await withDriver(ctx, b, (lb) => lb.detachMember(id, memberId, opCtx(ctx)));
      }
      await members.delete({ balancerId: b.id, nodeId });
      return { detached: row?.memberId ?? null };
    },
    async onFailure(ctx, error) {
      const { nodeId } = ctx.job.payload as JobPayloads['balancer.detach'];
      await members.update({ balancerId: ctx.job.targetId, nodeId }, { state: 'error', stateMessage: error.slice(0, 2000) });
    },
  };

  const healthCheck: JobHandler = {
    async run(ctx) {
      const { healthCheck: check } = ctx.job.payload as JobPayloads['balancer.health-check'];
      const b = await load(ctx);
      const id = created(b);
      await withDriver(ctx, b, async (lb) => {
        if (!lb.setHealthCheck) throw new NotSupportedError(`Balancer ${b.name}'s provider cannot change the health check of an existing balancer`);
        await lb.setHealthCheck(id, check, opCtx(ctx));
      });
      await balancers.update({ id: b.id }, { healthCheck: check });
      ctx.log(`balancer ${b.name} checks its members by ${describeHealthCheck(check)}`);
      return { healthCheck: check };
    },
  };

  return { 'balancer.create': create, 'balancer.destroy': destroy, 'balancer.attach': attach, 'balancer.detach': detach, 'balancer.health-check': healthCheck } satisfies Record<string, JobHandler>;
}
