import type { ProviderDriver, ProviderNode } from '@overmind/provider';
import type { DataSource } from 'typeorm';
import { NodeEntity, type NodeRow } from '../../db/entities/index.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobContext } from '../jobs/job-runner.js';
import type { ProviderService } from '../providers/provider-service.js';
import { nodeEvent } from './node-events.js';

/** The columns a provider's view of a node sets. */
export function fromProvider(p: ProviderNode): Partial<NodeRow> {
  return {
    providerNodeId: p.id,
    state: p.state,
    publicIps: p.publicIps,
    privateIps: p.privateIps,
    extra: p.extra,
    ...(p.imageId ? { imageId: p.imageId } : {}),
    ...(p.sizeId ? { sizeId: p.sizeId } : {}),
    ...(p.locationId ? { locationId: p.locationId } : {}),
  };
}

export interface NodeJobDeps {
  db: DataSource;
  providers: Pick<ProviderService, 'get' | 'driverFor'>;
  events: Pick<EventBus, 'publish'>;
}

/** What node job handlers share: writing a node (and telling the event stream), and a driver for its provider. */
export function createNodeJobSupport(deps: NodeJobDeps) {
  const nodes = deps.db.getRepository(NodeEntity);

  async function save(node: NodeRow, patch: Partial<NodeRow>): Promise<NodeRow> {
    Object.assign(node, patch);
    await nodes.update({ id: node.id }, patch as Parameters<typeof nodes.update>[1]);
    await deps.events.publish(nodeEvent(node));
    return node;
  }

  /** Runs `fn` with the job's node and a driver for its provider, closing the driver afterwards. */
  async function withDriver<T>(ctx: JobContext, fn: (node: NodeRow, driver: ProviderDriver) => Promise<T>): Promise<T> {
    const node = await nodes.findOneByOrFail({ id: ctx.job.targetId });
    const provider = await deps.providers.get(node.providerId);
    const driver = await deps.providers.driverFor(provider);
    try {
      return await fn(node, driver);
    } finally {
      await driver.close?.().catch(() => {});
    }
  }

  return { nodes, save, withDriver };
}
