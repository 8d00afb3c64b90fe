/**
 * Load balancers as resources of a provider: rows written here, the remote work queued as jobs
 * (balancer-job-handlers.ts). `attach` and `detach` take a balancer and an Overmind node id, so other
 * modules (constellation tiers) can put members in and take them out the same way the API does.
 */
import type { BalancerAlgorithm, BalancerProtocol, HealthCheck } from '@overmind/provider';
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import {
  BalancerEntity,
  BalancerMemberEntity,
  NodeEntity,
  type BalancerMemberRow,
  type BalancerRow,
  type JobRow,
  type NodeRow,
} from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../lib/errors.js';
import { offset, type Page, type PageRequest } from '../../lib/pagination.js';
import type { AuditService } from '../audit/audit-service.js';
import type { JobService } from '../jobs/job-service.js';
import type { ProviderService } from '../providers/provider-service.js';

export interface CreateBalancerInput {
  name: string;
  port: number;
  protocol: BalancerProtocol;
  /** Round robin when absent. */
  algorithm?: BalancerAlgorithm;
  /** The port members take traffic on; the balancer's port when absent. */
  memberPort?: number;
  healthCheck?: HealthCheck;
  locationId?: string;
  /** For providers without balancers of their own (libvirt, dedicated): the node that runs HAProxy. */
  hostNodeId?: string;
  /** Nodes of this provider to put in the rotation. */
  nodeIds?: string[];
  options?: Record<string, unknown>;
  /** A constellation tier's balancer (set by the constellation apply, not by the route). */
  owner?: { constellationId: string; tier: string };
}

export interface BalancerWithMembers extends BalancerRow {
  members: BalancerMemberRow[];
}

const live = (n: NodeRow) => !n.destroyedAt && !n.decommissionedAt;

export function createBalancerService(deps: {
  db: DataSource;
  providers: Pick<ProviderService, 'get' | 'plugin'>;
  jobs: Pick<JobService, 'enqueue'>;
  audit: Pick<AuditService, 'record'>;
}) {
  const { db, jobs, audit } = deps;
  const balancers = db.getRepository(BalancerEntity);
  const members = db.getRepository(BalancerMemberEntity);

  /** In the caller's transaction (a constellation step records the job it queued in the same one), else a new one. */
  const inTransaction = <T>(within: EntityManager | undefined, fn: (m: EntityManager) => Promise<T>): Promise<T> => (within ? fn(within) : db.transaction(fn));

  async function row(id: string, m: EntityManager = db.manager): Promise<BalancerRow> {
    const b = await m.findOneBy(BalancerEntity, { id });
    if (!b) throw new NotFoundError('Balancer', id);
    return b;
  }

  async function withMembers(rows: BalancerRow[]): Promise<BalancerWithMembers[]> {
    if (rows.length === 0) return [];
    const all = await members.find({ where: { balancerId: In(rows.map((r) => r.id)) }, order: { createdAt: 'ASC', nodeId: 'ASC' } });
    return rows.map((r) => ({ ...r, members: all.filter((m) => m.balancerId === r.id) }));
  }

  /** A balancer that can still be changed: not destroyed, not on its way out. */
  async function changeable(m: EntityManager, id: string): Promise<BalancerRow> {
    // Locked, so a destroy and an attach to one balancer are queued one after the other.
    const b = await m.getRepository(BalancerEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!b) throw new NotFoundError('Balancer', id);
    if (b.destroyedAt || b.state === 'destroying' || b.state === 'destroyed') throw new ConflictError(`Balancer ${b.name} is destroyed or being destroyed`);
    return b;
  }

  async function memberNode(m: EntityManager, b: Pick<BalancerRow, 'providerId' | 'name'>, nodeId: string): Promise<NodeRow> {
    const node = await m.findOneBy(NodeEntity, { id: nodeId });
    if (!node) throw new NotFoundError('Node', nodeId);
    if (!live(node)) throw new ConflictError(`Node ${node.name} is destroyed or decommissioned`);
    if (node.providerId !== b.providerId) throw new ConflictError(`Node ${node.name} is not a node of the provider of balancer ${b.name}`);
    return node;
  }

  async function queue(m: EntityManager, actor: Actor, b: BalancerRow, type: 'balancer.create' | 'balancer.destroy' | 'balancer.attach' | 'balancer.detach', nodeId?: string): Promise<JobRow> {
    const base = { targetType: 'balancer' as const, targetId: b.id, providerId: b.providerId, createdBy: actor.id };
    if (type === 'balancer.attach' || type === 'balancer.detach') return jobs.enqueue(m, { ...base, type, payload: { nodeId: nodeId! } });
    return jobs.enqueue(m, { ...base, type, payload: {} });
  }

  return {
    async list(providerId: string, page: PageRequest & { order: 'asc' | 'desc' }): Promise<Page<BalancerWithMembers>> {
      await deps.providers.get(providerId);
      const [items, total] = await balancers.findAndCount({
        where: { providerId, destroyedAt: IsNull() },
        order: { createdAt: page.order === 'asc' ? 'ASC' : 'DESC', id: 'ASC' },
        skip: offset(page),
        take: page.limit,
      });
      return { items: await withMembers(items), total, page: page.page, limit: page.limit };
    },

    /** The live balancers of a constellation's tiers, by tier name. */
    async ofConstellation(constellationId: string, m: Pick<EntityManager, 'find'> = db.manager): Promise<BalancerWithMembers[]> {
      return withMembers(await m.find(BalancerEntity, { where: { constellationId, destroyedAt: IsNull() }, order: { tier: 'ASC' } }));
    },

    async get(id: string): Promise<BalancerWithMembers> {
      return (await withMembers([await row(id)]))[0]!;
    },

    async create(actor: Actor, providerId: string, input: CreateBalancerInput, within?: EntityManager): Promise<{ balancer: BalancerWithMembers; job: JobRow }> {
      const provider = await deps.providers.get(providerId);
      const plugin = await deps.providers.plugin(provider.type);
      const ownBalancers = plugin.capabilities.includes('loadBalancers');
      if (!ownBalancers && !input.hostNodeId) {
        throw new BadRequestError(`${plugin.displayName} providers have no load balancers of their own: give hostNodeId, a node of this provider to run HAProxy on`);
      }
      if (ownBalancers && input.hostNodeId) throw new BadRequestError(`${plugin.displayName} providers make their own balancers: hostNodeId is only for HAProxy on a node`);
      const nodeIds = [...new Set(input.nodeIds ?? [])];
      const created = await inTransaction(within, async (m) => {
        if (input.hostNodeId) await memberNode(m, { providerId, name: input.name }, input.hostNodeId);
        for (const id of nodeIds) await memberNode(m, { providerId, name: input.name }, id);
        const b = await m.getRepository(BalancerEntity).save(
          m.getRepository(BalancerEntity).create({
            providerId,
            providerBalancerId: null,
            name: input.name,
            state: 'creating',
            stateMessage: null,
            protocol: input.protocol,
            port: input.port,
            memberPort: input.memberPort ?? input.port,
            algorithm: input.algorithm ?? 'round_robin',
            address: null,
            healthCheck: input.healthCheck ?? null,
            locationId: input.locationId ?? null,
            hostNodeId: input.hostNodeId ?? null,
            options: input.options ?? {},
            constellationId: input.owner?.constellationId ?? null,
            tier: input.owner?.tier ?? null,
            createdBy: actor.id,
            destroyedAt: null,
          }),
        );
        if (nodeIds.length > 0) {
          await m.insert(BalancerMemberEntity, nodeIds.map((nodeId) => ({ balancerId: b.id, nodeId, memberId: null, state: 'attaching' as const, stateMessage: null })));
        }
        const job = await queue(m, actor, b, 'balancer.create');
        await audit.record(actor, 'balancer.create', { type: 'balancer', id: b.id }, { name: b.name, providerId, port: b.port, protocol: b.protocol, nodeIds }, { manager: m });
        return { b, job };
      });
      return { balancer: (await withMembers([await row(created.b.id, within)]))[0]!, job: created.job };
    },

    async destroy(actor: Actor, id: string, within?: EntityManager): Promise<JobRow> {
      return inTransaction(within, async (m) => {
        const b = await changeable(m, id);
        if (b.state === 'creating') throw new ConflictError(`Balancer ${b.name} is still being created; destroy it once its create job ended`);
        await m.update(BalancerEntity, { id }, { state: 'destroying', stateMessage: null });
        const job = await queue(m, actor, b, 'balancer.destroy');
        await audit.record(actor, 'balancer.destroy', { type: 'balancer', id }, { name: b.name }, { manager: m });
        return job;
      });
    },

    /** Queues a node into the balancer's rotation; a node already in it answers 409. */
    async attach(actor: Actor, id: string, nodeId: string, within?: EntityManager): Promise<JobRow> {
      return inTransaction(within, async (m) => {
        const b = await changeable(m, id);
        if (b.state === 'creating') throw new ConflictError(`Balancer ${b.name} is still being created; add members once its create job ended`);
        if (b.hostNodeId === nodeId) throw new ConflictError('The HAProxy host of a balancer cannot be one of its members');
        await memberNode(m, b, nodeId);
        const existing = await m.findOneBy(BalancerMemberEntity, { balancerId: id, nodeId });
        if (existing && existing.state !== 'error') throw new ConflictError(`That node is already a member of balancer ${b.name} (${existing.state})`);
        await m.upsert(BalancerMemberEntity, { balancerId: id, nodeId, memberId: existing?.memberId ?? null, state: 'attaching', stateMessage: null }, ['balancerId', 'nodeId']);
        const job = await queue(m, actor, b, 'balancer.attach', nodeId);
        await audit.record(actor, 'balancer.attach', { type: 'balancer', id }, { nodeId }, { manager: m });
        return job;
      });
    },

    /** Queues a new health check for the balancer; the row shows the new one once its provider took it. */
    async setHealthCheck(actor: Actor, id: string, healthCheck: HealthCheck, within?: EntityManager): Promise<JobRow> {
      return inTransaction(within, async (m) => {
        const b = await changeable(m, id);
        if (b.state === 'creating' || !b.providerBalancerId) throw new ConflictError(`Balancer ${b.name} is not made yet (${b.state}); change its health check once its create job succeeded`);
        const job = await jobs.enqueue(m, { targetType: 'balancer', targetId: b.id, providerId: b.providerId, createdBy: actor.id, type: 'balancer.health-check', payload: { healthCheck } });
        await audit.record(actor, 'balancer.health-check', { type: 'balancer', id }, { healthCheck }, { manager: m });
        return job;
      });
    },

    /** Queues a node out of the rotation (drained by the balancer first); a node not in it answers 404. */
    async detach(actor: Actor, id: string, nodeId: string, within?: EntityManager): Promise<JobRow> {
      return inTransaction(within, async (m) => {
        const b = await changeable(m, id);
        if (b.state === 'creating') throw new ConflictError(`Balancer ${b.name} is still being created; remove members once its create job ended`);
        const existing = await m.findOneBy(BalancerMemberEntity, { balancerId: id, nodeId });
        if (!existing) throw new NotFoundError('Balancer member', nodeId);
        if (existing.state === 'detaching') throw new ConflictError(`That node is already leaving balancer ${b.name}`);
        await m.update(BalancerMemberEntity, { balancerId: id, nodeId }, { state: 'detaching', stateMessage: null });
        const job = await queue(m, actor, b, 'balancer.detach', nodeId);
        await audit.record(actor, 'balancer.detach', { type: 'balancer', id }, { nodeId }, { manager: m });
        return job;
      });
    },
  };
}

export type BalancerService = ReturnType<typeof createBalancerService>;
