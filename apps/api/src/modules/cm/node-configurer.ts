import { isCmError } from '@overmind/cm';
import type { DataSource } from 'typeorm';
import { NodeEntity, ServerRoleNodeEntity, type NodeRow } from '../../db/entities/index.js';
import type { EventBus } from '../events/event-bus.js';
import type { LogLevel } from '../jobs/job-log-writer.js';
import { nodeEvent } from '../nodes/node-events.js';
import type { CmKind } from './cm-registry.js';
import type { KitchenService } from './kitchen-service.js';
import { nestSecretAttributes } from './secret-attributes.js';
import type { ServerRoleService } from './server-role-service.js';
import type { NodeAccess } from './node-access.js';
import { withOverlay, type OverlayLookup } from './config-overlay.js';

export interface ConfigureContext {
  signal: AbortSignal;
  log(line: string, level?: LogLevel): void;
  /** Secret values to hide in everything the job records (see JobContext.mask). */
  mask(...values: string[]): void;
}

export interface ConfigureOutcome {
  nodeId: string;
  name: string;
  ok: boolean;
  summary?: string | null;
  failedStep?: string;
  error?: string;
}

/** A failed configure; `retryable` when the cause was passing (a lost connection), so the job runner may retry. */
export class ConfigureFailedError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ConfigureFailedError';
  }
}

/**
 * Configures one node with its server role: node `configuring`, reach it over SSH (its registered
 * login, else the role's key, waiting for a new node to answer), run the role's CM plugin
 * (output streamed into the job log), node `running`, or `error` with the failed step logged.
 */
export function createNodeConfigurer(deps: {
  db: DataSource;
  events: Pick<EventBus, 'publish'>;
  serverRoles: Pick<ServerRoleService, 'withSecret'>;
  kitchen: Pick<KitchenService, 'plugin'>;
  access: Pick<NodeAccess, 'withSession'>;
  /** A constellation member's tier run list, attributes and outputs, over its role's. */
  overlay?: OverlayLookup;
}) {
  const nodes = deps.db.getRepository(NodeEntity);
  const members = deps.db.getRepository(ServerRoleNodeEntity);

  async function setState(node: NodeRow, state: NodeRow['state']): Promise<void> {
    node.state = state;
    await nodes.update({ id: node.id }, { state });
    await deps.events.publish(nodeEvent(node));
  }

  async function run(node: NodeRow, ctx: ConfigureContext): Promise<ConfigureOutcome> {
    const member = await members.findOneBy({ nodeId: node.id });
    if (!member) throw new ConfigureFailedError(`Node ${node.name} is not attached to a server role`, false);
    const opened = await deps.serverRoles.withSecret(member.serverRoleId);
    const { secret, secretAttributes } = opened;
    const role = withOverlay(opened.role, (await deps.overlay?.(node.id)) ?? null);
    // Before the tool can print one (a recipe that logs a password): masked in the job log and error.
    ctx.mask(...Object.values(secretAttributes));
    const plugin = await deps.kitchen.plugin(role.cmKind as CmKind, role.cmSettings);
    ctx.log(`configuring ${node.name} as server role ${role.name}: run list ${role.runList.join(', ') || '(empty)'}`);
    // A registered server is reached over its own login; a node the role made, over the role's key.
    const result = await deps.access.withSession(node, ctx, (session) =>
      plugin.apply(
        { name: node.name, host: session },
        { runList: role.runList, attributes: role.attributes, secretAttributes: nestSecretAttributes(secretAttributes), environment: role.environment },
        { signal: ctx.signal, log: (line) => ctx.log(line) },
      ), { role, secret });
    if (!result.ok) {
      throw new ConfigureFailedError(`${role.cmKind} failed at step "${result.failedStep}": ${result.error.message}`, result.error.retryable);
    }
    ctx.log(result.summary ?? `${role.cmKind} finished`);
    return { nodeId: node.id, name: node.name, ok: true, summary: result.summary };
  }

  return {
    /** A configure that could not even start (pull mode without a kitchen...): recorded like a failed one. */
    async markFailed(node: NodeRow, message: string, ctx: ConfigureContext): Promise<void> {
      ctx.log(`configure of ${node.name} failed: ${message}`, 'error');
      await members.update({ nodeId: node.id }, { lastConfiguredAt: new Date(), lastConfigureStatus: 'failed' }).catch(() => {});
      await setState(node, 'error');
    },

    /** Never leaves the node `configuring`: it ends `running` or `error`. Rethrows the failure for the job. */
    async configure(nodeId: string, ctx: ConfigureContext): Promise<ConfigureOutcome> {
      const node = await nodes.findOneByOrFail({ id: nodeId });
      await setState(node, 'configuring');
      try {
        const outcome = await run(node, ctx);
        await members.update({ nodeId }, { lastConfiguredAt: new Date(), lastConfigureStatus: 'succeeded' });
        await setState(node, 'running');
        return outcome;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        ctx.log(`configure of ${node.name} failed: ${message}`, 'error');
        await members.update({ nodeId }, { lastConfiguredAt: new Date(), lastConfigureStatus: 'failed' }).catch(() => {});
        await setState(node, 'error');
        if (err instanceof ConfigureFailedError) throw err;
        const retryable = (isCmError(err) || err instanceof Error) && (err as { retryable?: boolean }).retryable === true;
        throw new ConfigureFailedError(message, retryable);
      }
    },
  };
}

export type NodeConfigurer = ReturnType<typeof createNodeConfigurer>;
