import type { Capability, NodeState } from '@overmind/provider';
import type { DataSource, EntityManager } from 'typeorm';
import { NodeEntity, type JobRow, type NodeHealth, type NodeRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../../lib/errors.js';
import type { PageRequest } from '../../lib/pagination.js';
import type { AuditService } from '../audit/audit-service.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobService } from '../jobs/job-service.js';
import type { JobType } from '../jobs/job-types.js';
import type { CatalogService, NetworkChoice } from '../providers/catalog-service.js';
import type { ProviderService } from '../providers/provider-service.js';
import { nodeEvent } from './node-events.js';
import { createNodeListQuery } from './node-list-query.js';
import { createNodeSummaryQuery } from './node-summary-query.js';

export const NODE_SORTS = ['name', 'createdAt', 'updatedAt', 'state', 'cpu', 'memory', 'disk', 'load', 'health'] as const;
export type NodeSort = (typeof NODE_SORTS)[number];

export interface NodeFilter extends PageRequest {
  providerId?: string;
  state?: NodeState;
  tag?: string;
  search?: string;
  includeGone?: boolean;
  /** Latest readings at or above these percents. */
  minCpu?: number;
  minMemory?: number;
  minDisk?: number;
  health?: NodeHealth;
  /** Part of the OS's name, or its id and version (`debian 12`). */
  os?: string;
  /** `path=value` over the node's facts, e.g. `virtualization.type=kvm`. */
  fact?: string;
  sort: NodeSort;
  order: 'asc' | 'desc';
}

export interface CreateNodeInput {
  providerId: string;
  name: string;
  imageId: string;
  sizeId: string;
  locationId: string;
  tags?: string[];
  sshPublicKey?: string;
  userData?: string;
  /** Networks to attach (ids, `auto` or `none`); absent: the provider's default. */
  networkIds?: NetworkChoice;
  /** Give the node a floating IP; absent: the provider's default. */
  floatingIp?: boolean;
}

export type NodeAction = 'reboot' | 'start' | 'stop' | 'destroy';

const ACTIONS: Record<NodeAction, { capability: Capability; job: JobType; state: NodeState; verb: string }> = {
  reboot: { capability: 'rebootNode', job: 'node.reboot', state: 'rebooting', verb: 'reboot' },
  start: { capability: 'startNode', job: 'node.start', state: 'starting', verb: 'start' },
  stop: { capability: 'stopNode', job: 'node.stop', state: 'stopping', verb: 'stop' },
  destroy: { capability: 'destroyNode', job: 'node.destroy', state: 'stopping', verb: 'destroy' },
};

/** The row of a node Overmind is about to create or register: pending, no addresses yet. */
export function pendingNode(actor: Actor, providerId: string, name: string, tags: string[] = []): Partial<NodeRow> {
  return { providerId, name, state: 'pending', publicIps: [], privateIps: [], extra: {}, tags, createdBy: actor.id };
}

export function createNodeService(deps: {
  db: DataSource;
  providers: Pick<ProviderService, 'get' | 'plugin'>;
  catalog: Pick<CatalogService, 'unknownIds' | 'markUsed' | 'checkNetworks'>;
  jobs: Pick<JobService, 'enqueue' | 'activeFor'>;
  audit: Pick<AuditService, 'record'>;
  events: Pick<EventBus, 'publish'>;
}) {
  const { db, providers, jobs, audit, events } = deps;
  const nodes = db.getRepository(NodeEntity);

  async function get(id: string): Promise<NodeRow> {
    const node = await nodes.findOneBy({ id });
    if (!node) throw new NotFoundError('Node', id);
    return node;
  }

  async function requireCapability(providerId: string, capability: Capability, verb: string) {
    const provider = await providers.get(providerId);
    const plugin = await providers.plugin(provider.type);
    if (!plugin.capabilities.includes(capability)) {
      throw new ConflictError(`${plugin.displayName} providers cannot ${verb} nodes`);
    }
    return provider;
  }

  return {
    get,

    list: createNodeListQuery(db),

    summarize: createNodeSummaryQuery(db),

    /** `withNode` runs in the node's own transaction, before its create job can reach a worker. */
    async create(actor: Actor, input: CreateNodeInput, options: { withNode?: (m: EntityManager, nodeId: string) => Promise<void> } = {}): Promise<JobRow> {
      const provider = await requireCapability(input.providerId, 'createNode', 'create');
      const unknown = await deps.catalog.unknownIds(provider.id, {
        image: input.imageId,
        size: input.sizeId,
        location: input.locationId,
      });
      if (unknown.length > 0) {
        const errors = unknown.map((k) => ({ field: `body.${k}Id`, message: `is not a ${k} of provider ${provider.name}` }));
        throw new UnprocessableError(errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });
      }
      await deps.catalog.checkNetworks(provider, input.networkIds, 'body.networkIds');
      return db.transaction(async (m) => {
        const node = await m.save(
          NodeEntity,
          m.create(NodeEntity, {
            ...pendingNode(actor, provider.id, input.name, input.tags),
            imageId: input.imageId,
            sizeId: input.sizeId,
            locationId: input.locationId,
          }),
        );
        await options.withNode?.(m, node.id);
        const job = await jobs.enqueue(m, {
          type: 'node.create',
          targetType: 'node',
          targetId: node.id,
          providerId: provider.id,
          createdBy: actor.id,
          payload: { sshPublicKey: input.sshPublicKey, userData: input.userData, networkIds: input.networkIds, floatingIp: input.floatingIp },
        });
        await deps.catalog.markUsed(m, provider.id, { image: input.imageId, size: input.sizeId, location: input.locationId });
        await audit.record(actor, 'node.create', { type: 'node', id: node.id }, { name: node.name, providerId: provider.id, jobId: job.id }, { manager: m });
        await events.publish(nodeEvent(node), m);
        return job;
      });
    },

    async update(actor: Actor, id: string, patch: { name?: string; tags?: string[] }): Promise<NodeRow> {
      return db.transaction(async (m) => {
        const node = await m.findOne(NodeEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!node) throw new NotFoundError('Node', id);
        if (patch.name !== undefined) node.name = patch.name;
        if (patch.tags !== undefined) node.tags = [...new Set(patch.tags)];
        await m.save(NodeEntity, node);
        await audit.record(actor, 'node.update', { type: 'node', id }, patch, { manager: m });
        await events.publish(nodeEvent(node), m);
        return node;
      });
    },

    /** Queues a power action or destroy, where the provider can do it; in `manager`'s transaction when given. */
    async act(actor: Actor, id: string, action: NodeAction, manager?: EntityManager): Promise<JobRow> {
      const spec = ACTIONS[action];
      const node = await get(id);
      if (node.destroyedAt) throw new ConflictError(`Node ${node.name} was destroyed`);
      if (node.decommissionedAt) throw new ConflictError(`Node ${node.name} is decommissioned: its provider no longer lists it`);
      await requireCapability(node.providerId, spec.capability, spec.verb);
      const inTransaction = <T>(fn: (m: EntityManager) => Promise<T>) => (manager ? fn(manager) : db.transaction(fn));
      return inTransaction(async (m) => {
        const locked = await m.findOneOrFail(NodeEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
        const active = await jobs.activeFor(id, m);
        if (active) throw new ConflictError(`Node ${locked.name} has a job in progress (${active.type} ${active.id}); wait for it to finish`);
        if (!locked.providerNodeId && action !== 'destroy') {
          throw new ConflictError(`Node ${locked.name} does not exist at its provider yet`);
        }
        const previousState = locked.state;
        locked.state = spec.state;
        await m.save(NodeEntity, locked);
        const job = await jobs.enqueue(m, {
          type: spec.job,
          targetType: 'node',
          targetId: id,
          providerId: locked.providerId,
          createdBy: actor.id,
          payload: { previousState },
        });
        await audit.record(actor, `node.${action}`, { type: 'node', id }, { jobId: job.id }, { manager: m });
        await events.publish(nodeEvent(locked), m);
        return job;
      });
    },
  };
}

export type NodeService = ReturnType<typeof createNodeService>;
