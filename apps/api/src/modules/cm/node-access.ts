/**
 * How the API reaches a node over SSH for work of its own on it (configuring it, installing its
 * agent): a registered server through its provider's driver (its own registered login, host key
 * pinned by the driver), else a node of a server role with the role's SSH key (host key pinned on
 * the role assignment at first contact).
 */
import type { NodeSession } from '@overmind/provider';
import type { SshSession } from '@overmind/ssh';
import type { DataSource } from 'typeorm';
import { ServerRoleNodeEntity, type NodeRow, type ServerRoleRow } from '../../db/entities/index.js';
import type { ProviderService } from '../providers/provider-service.js';
import type { SshSecret, ServerRoleService } from './server-role-service.js';
import { waitForSsh, type SshWaitOptions } from './ssh-wait.js';

export interface NodeAccessContext {
  signal: AbortSignal;
  log(line: string): void;
  /** Secret values to hide in everything the job records (see JobContext.mask). */
  mask(...values: string[]): void;
}

/** Which SSH access the API has to a node. */
export type NodeAccessKind = 'registered-login' | 'server-role-key';

/** A node the API cannot reach itself: why, in words for a 409. */
export class NoNodeAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoNodeAccessError';
  }
}

/** The node's address for SSH: its first public address, else its first private one; the port from the node's provider or the role. */
function sshEndpoint(node: NodeRow, rolePort: number): { host: string; port: number } {
  const host = node.publicIps[0] ?? node.privateIps[0];
  if (!host) throw new NoNodeAccessError(`Node ${node.name} has no address to reach it over SSH`);
  const port = typeof node.extra.sshPort === 'number' ? node.extra.sshPort : rolePort;
  return { host, port };
}

const isRegistered = (node: NodeRow) => !!node.registrationEnc && !!node.providerNodeId && !node.destroyedAt && !node.decommissionedAt;

export function createNodeAccess(deps: {
  db: DataSource;
  providers: Pick<ProviderService, 'get' | 'plugin' | 'driverFor'>;
  serverRoles: Pick<ServerRoleService, 'withSecret'>;
  sshWait: SshWaitOptions;
}) {
  const members = deps.db.getRepository(ServerRoleNodeEntity);

  async function registeredLogin(node: NodeRow): Promise<boolean> {
    if (!isRegistered(node)) return false;
    const provider = await deps.providers.get(node.providerId).catch(() => null);
    if (!provider) return false;
    const plugin = await deps.providers.plugin(provider.type);
    return plugin.capabilities.includes('withNodeSession');
  }

  /** Over the role's key: waits for SSH (a new node may still be booting) and pins the host key at first contact. */
  async function overRoleKey<T>(node: NodeRow, role: ServerRoleRow, secret: SshSecret, ctx: NodeAccessContext, fn: (session: NodeSession) => Promise<T>): Promise<T> {
    ctx.mask(...[secret.passphrase, secret.sudoPassword].filter((v): v is string => !!v));
    const member = await members.findOneByOrFail({ nodeId: node.id });
    const { host, port } = sshEndpoint(node, role.ssh.port);
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
      return await fn(session);
    } finally {
      await session?.close().catch(() => {});
    }
  }

  return {
    /** Which access the API has to the node; NoNodeAccessError saying what is missing when none. */
    async kind(node: NodeRow): Promise<NodeAccessKind> {
      if (node.destroyedAt || node.decommissionedAt) throw new NoNodeAccessError(`Node ${node.name} is gone`);
      if (await registeredLogin(node)) return 'registered-login';
      if (await members.findOneBy({ nodeId: node.id })) return 'server-role-key';
      throw new NoNodeAccessError(
        `Overmind has no SSH access to node ${node.name}: it is neither a registered server whose provider lends its login ` +
          '(e.g. a dedicated server) nor a node of a server role (whose SSH key would be used); give it a server role (PUT /api/v1/nodes/{id}/role) or enrol its agent with a join token',
      );
    },

    /**
     * Runs `fn` with a shell on the node: over its registered login when it is a registered server
     * whose driver lends one, else over its server role's key (`role` given: the caller opened it already).
     */
    async withSession<T>(node: NodeRow, ctx: NodeAccessContext, fn: (session: NodeSession, via: NodeAccessKind) => Promise<T>, opened?: { role: ServerRoleRow; secret: SshSecret }): Promise<T> {
      const kind = await this.kind(node);
      if (kind === 'registered-login') {
        const provider = await deps.providers.get(node.providerId);
        const driver = await deps.providers.driverFor(provider);
        try {
          ctx.log(`connecting to ${node.name} over its registered login`);
          return await driver.withNodeSession!(node.providerNodeId!, (session) => fn(session, kind), { signal: ctx.signal, log: ctx.log });
        } finally {
          await driver.close?.().catch(() => {});
        }
      }
      const { role, secret } = opened ?? (await deps.serverRoles.withSecret((await members.findOneByOrFail({ nodeId: node.id })).serverRoleId));
      return overRoleKey(node, role, secret, ctx, (session) => fn(session, kind));
    },
  };
}

export type NodeAccess = ReturnType<typeof createNodeAccess>;
