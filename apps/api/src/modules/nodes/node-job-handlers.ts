import { setTimeout as sleep } from 'node:timers/promises';
import { NotFoundError as ProviderNotFound, type NodeState, type ProviderDriver } from '@overmind/provider';
import type { NodeRow } from '../../db/entities/index.js';
import type { JobContext, JobHandler } from '../jobs/job-runner.js';
import type { JobPayloads } from '../jobs/job-types.js';
import { createNodeJobSupport, fromProvider, type NodeJobDeps } from './node-job-support.js';

const TRANSITIONAL: ReadonlySet<NodeState> = new Set(['pending', 'starting', 'stopping', 'rebooting']);
const FINAL: ReadonlySet<NodeState> = new Set(['error', 'terminated']);

type Method = 'rebootNode' | 'startNode' | 'stopNode';

/** The action did not take effect: the provider accepted it, but the node never reached the state it should have. */
export class ActionNotEffectiveError extends Error {
  /** An outcome to report, not a bug to log (see the job runner). */
  readonly code = 'action_not_effective';
}

export interface NodeHandlerDeps extends NodeJobDeps {
  /** First and longest wait between state polls while a node settles. */
  pollMs: { first: number; max: number };
  /**
   * How long a node may show a settled state other than the expected one before the job fails: the
   * change can show late (a cloud lists the old state for a moment after accepting the call).
   */
  graceMs: number;
}

export function createNodeJobHandlers(deps: NodeHandlerDeps) {
  const { nodes, save, withDriver } = createNodeJobSupport(deps);

  /**
   * Polls the provider until the node settles in the expected state. A job succeeds only when its
   * action took effect: a node that settles elsewhere (or ends in error or terminated) fails it.
   */
  async function settle(ctx: JobContext, node: NodeRow, driver: ProviderDriver, expected: NodeState, verb: string): Promise<NodeState> {
    if (!driver.getNode || !node.providerNodeId) {
      await save(node, { state: expected });
      return expected;
    }
    let wait = deps.pollMs.first;
    const started = Date.now();
    for (;;) {
      const current = await driver.getNode(node.providerNodeId, { signal: ctx.signal, log: ctx.log });
      if (!current) {
        // Gone is what a destroy asks for; any other action lost its node.
        if (expected === 'terminated') return expected;
        throw new Error(`provider no longer lists node ${node.providerNodeId}`);
      }
      if (current.state !== node.state || current.publicIps.join() !== node.publicIps.join()) {
        await save(node, fromProvider(current));
        ctx.log(`node is ${current.state}`);
      }
      if (current.state === expected) return expected;
      const waited = Date.now() - started;
      if (FINAL.has(current.state) || (!TRANSITIONAL.has(current.state) && waited >= deps.graceMs)) {
        const after = FINAL.has(current.state) ? '' : ` ${Math.round(waited / 1000)} s after the provider accepted the ${verb}`;
        // A provider that says why (Nova's fault, e.g. "No valid host was found") has that said in the job.
        const fault = typeof current.extra.fault === 'string' && current.extra.fault ? `; the provider says: ${current.extra.fault}` : '';
        throw new ActionNotEffectiveError(`${verb} did not take effect: ${node.name} is ${current.state}${after}, not ${expected}${fault}`);
      }
      await sleep(wait, undefined, { signal: ctx.signal });
      wait = Math.min(wait * 2, deps.pollMs.max);
    }
  }

  /** After a failed action, show what the provider says rather than a state we only hoped for. */
  async function refreshAfterFailure(ctx: JobContext, fallback: NodeState): Promise<void> {
    await withDriver(ctx, async (node, driver) => {
      const current = node.providerNodeId && driver.getNode ? await driver.getNode(node.providerNodeId).catch(() => null) : null;
      await save(node, current ? fromProvider(current) : { state: fallback });
    }).catch(() => {});
  }

  function power(method: Method, expected: NodeState, verb: string): JobHandler {
    return {
      run: (ctx) =>
        withDriver(ctx, async (node, driver) => {
          const call = driver[method];
          if (!call) throw new Error(`this provider cannot ${verb} nodes`);
          ctx.log(`${verb} ${node.name} (${node.providerNodeId})`);
          await call.call(driver, node.providerNodeId!, { signal: ctx.signal, log: ctx.log });
          await ctx.progress(50);
          return { state: await settle(ctx, node, driver, expected, verb) };
        }),
      onFailure: (ctx) => refreshAfterFailure(ctx, 'unknown'),
    };
  }

  const create: JobHandler = {
    run: (ctx) =>
      withDriver(ctx, async (node, driver) => {
        if (!driver.createNode) throw new Error('this provider cannot create nodes');
        if (!node.providerNodeId) {
          const payload = ctx.job.payload as JobPayloads['node.create'];
          ctx.log(`creating ${node.name}: image ${node.imageId}, size ${node.sizeId}, location ${node.locationId}`);
          const created = await driver.createNode(
            {
              name: node.name,
              imageId: node.imageId!,
              sizeId: node.sizeId!,
              locationId: node.locationId!,
              idempotencyKey: node.idempotencyKey,
              ...(payload.sshPublicKey ? { sshPublicKey: payload.sshPublicKey } : {}),
              ...(payload.userData ? { userData: payload.userData } : {}),
              ...(payload.networkIds !== undefined ? { networkIds: payload.networkIds } : {}),
              ...(payload.floatingIp !== undefined ? { floatingIp: payload.floatingIp } : {}),
              tags: { 'overmind-node-id': node.id },
            },
            { signal: ctx.signal, log: ctx.log },
          );
          await save(node, fromProvider(created));
          ctx.log(`provider id ${created.id}`);
        } else {
          ctx.log(`resuming: provider already has this node as ${node.providerNodeId}`);
        }
        await ctx.progress(50);
        return { providerNodeId: node.providerNodeId, state: await settle(ctx, node, driver, 'running', 'create') };
      }),
    onFailure: async (ctx) => {
      const node = await nodes.findOneBy({ id: ctx.job.targetId });
      if (node) await save(node, { state: 'error' });
    },
  };

  const destroy: JobHandler = {
    run: (ctx) =>
      withDriver(ctx, async (node, driver) => {
        if (node.providerNodeId) {
          if (!driver.destroyNode) throw new Error('this provider cannot destroy nodes');
          ctx.log(`destroying ${node.name} (${node.providerNodeId})`);
          try {
            await driver.destroyNode(node.providerNodeId, { signal: ctx.signal, log: ctx.log });
            await ctx.progress(50);
            // Until the provider shows it gone or terminated, the machine may still be there.
            await settle(ctx, node, driver, 'terminated', 'destroy');
          } catch (err) {
            if (!(err instanceof ProviderNotFound)) throw err;
            ctx.log('provider no longer has this node; recording it as destroyed', 'warn');
          }
        }
        await save(node, { state: 'terminated', destroyedAt: new Date(), destroyedBy: ctx.job.createdBy });
        return { state: 'terminated' };
      }),
    onFailure: (ctx) => refreshAfterFailure(ctx, 'unknown'),
  };

  return {
    'node.create': create,
    'node.reboot': power('rebootNode', 'running', 'reboot'),
    'node.start': power('startNode', 'running', 'start'),
    'node.stop': power('stopNode', 'stopped', 'stop'),
    'node.destroy': destroy,
  } satisfies Record<string, JobHandler>;
}
