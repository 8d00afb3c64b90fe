import { isCmError } from '@overmind/cm';
import type { SshSession } from '@overmind/ssh';
import type { DataSource } from 'typeorm';
import { NodeEntity, ServerRoleNodeEntity, type NodeRow } from '../../db/entities/index.js';
import type { EventBus } from '../events/event-bus.js';
import type { LogLevel } from '../jobs/job-log-writer.js';
import { nodeEvent } from '../nodes/node-events.js';
import type { CmKind } from './cm-registry.js';
import type { KitchenService } from './kitchen-service.js';
import { nestSecretAttributes } from './secret-attributes.js';
import type { ServerRoleService } from './server-role-service.js';
import { waitForSsh, type SshWaitOptions } from './ssh-wait.js';

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

/** The node's address for SSH: its first public address, else its first private one; the port from the node's provider or the role. */
function sshEndpoint(node: NodeRow, rolePort: number): { host: string; port: number } {
  const host = node.publicIps[0] ?? node.privateIps[0];
  if (!host) throw new ConfigureFailedError(`Node ${node.name} has no address to reach it over SSH`, false);
  const port = typeof node.extra.sshPort === 'number' ? node.extra.sshPort : rolePort;
  return { host, port };
}

/**
 * Configures one node with its server role: node `configuring`, wait for SSH, run the role's CM plugin
 * (output streamed into the job log), node `running`, or `error` with the failed step logged.
 */
export function createNodeConfigurer(deps: {
  db: DataSource;
  events: Pick<EventBus, 'publish'>;
  serverRoles: Pick<ServerRoleService, 'withSecret'>;
  kitchen: Pick<KitchenService, 'plugin'>;
  sshWait: SshWaitOptions;
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
    const { role, secret, secretAttributes } = await deps.serverRoles.withSecret(member.serverRoleId);
    // Before the tool can print one (a recipe that logs a password): masked in the job log and error.
    ctx.mask(...Object.values(secretAttributes), ...[secret.passphrase, secret.sudoPassword].filter((v): v is string => !!v));
    const plugin = await deps.kitchen.plugin(role.cmKind as CmKind, role.cmSettings);
    const { host, port } = sshEndpoint(node, role.ssh.port);
    ctx.log(`configuring ${node.name} as server role ${role.name}: run list ${role.runList.join(', ') || '(empty)'}`);
    ctx.log(`waiting for SSH on ${role.ssh.username}@${host}:${port}`);
    const target = {
      host,
      port,
      username: role.ssh.username,
      auth: { type: 'key' as const, privateKey: secret.privateKey, ...(secret.passphrase ? { passphrase: secret.passphrase } : {}) },
      hostKeyFingerprint: member.hostKeyFingerprint,
      ...(secret.sudoPassword ? { sudoPassword: secret.sudoPassword } : {}),
    };
    let session: SshSession | undefined;
    try {
      const connected = await waitForSsh(target, deps.sshWait, ctx);
      session = connected.session;
      if (!connected.hostKey.hostKeyPinned) {
        await members.update({ nodeId: node.id }, { hostKeyFingerprint: connected.hostKey.hostKeyFingerprint });
        ctx.log(`host key ${connected.hostKey.hostKeyFingerprint} pinned (first contact)`);
      }
      const result = await plugin.apply(
        { name: node.name, host: session },
        { runList: role.runList, attributes: role.attributes, secretAttributes: nestSecretAttributes(secretAttributes), environment: role.environment },
        { signal: ctx.signal, log: (line) => ctx.log(line) },
      );
      if (!result.ok) {
        throw new ConfigureFailedError(`${role.cmKind} failed at step "${result.failedStep}": ${result.error.message}`, result.error.retryable);
      }
      ctx.log(result.summary ?? `${role.cmKind} finished`);
      return { nodeId: node.id, name: node.name, ok: true, summary: result.summary };
    } finally {
      await session?.close().catch(() => {});
    }
  }

  return {
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
