import type { DataSource, EntityManager } from 'typeorm';
import { NodeEntity, ServerRoleNodeEntity, type JobRow, type NodeRow } from '../../db/entities/index.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobService } from '../jobs/job-service.js';
import { nodeEvent } from '../nodes/node-events.js';

export interface ConfigureQueueDeps {
  db: DataSource;
  jobs: Pick<JobService, 'enqueue'>;
  events: Pick<EventBus, 'publish'>;
}

/** Queues a node.configure job and shows the node as `configuring` (restored if the job is cancelled). */
export async function enqueueConfigure(deps: ConfigureQueueDeps, m: EntityManager, node: NodeRow, createdBy: string | null): Promise<JobRow> {
  const previousState = node.state;
  node.state = 'configuring';
  await m.update(NodeEntity, { id: node.id }, { state: 'configuring' });
  const job = await deps.jobs.enqueue(m, {
    type: 'node.configure',
    targetType: 'node',
    targetId: node.id,
    providerId: node.providerId,
    createdBy,
    payload: { previousState },
  });
  await deps.events.publish(nodeEvent(node), m);
  return job;
}

/**
 * Queues the first configure of a node made from a server role, once its create job has it running.
 * Called both at the end of the create job and right after the role's nodes are recorded: whichever
 * comes second finds both the node running and the role assignment, under the node's row lock, and
 * `first_configure_job_id` makes sure only one of them queues it.
 */
export async function queueFirstConfigure(deps: ConfigureQueueDeps, nodeId: string, createdBy: string | null): Promise<JobRow | null> {
  return deps.db.transaction(async (m) => {
    const node = await m.findOne(NodeEntity, { where: { id: nodeId }, lock: { mode: 'pessimistic_write' } });
    const assignment = await m.findOneBy(ServerRoleNodeEntity, { nodeId });
    if (!node || !assignment || assignment.firstConfigureJobId) return null;
    if (!node.providerNodeId || node.state !== 'running' || node.destroyedAt || node.decommissionedAt) return null;
    const job = await enqueueConfigure(deps, m, node, createdBy);
    await m.update(ServerRoleNodeEntity, { nodeId }, { firstConfigureJobId: job.id });
    return job;
  });
}
