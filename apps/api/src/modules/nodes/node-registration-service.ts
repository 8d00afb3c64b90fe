import { ProviderError, type BootDevice, type Capability, type ProviderPlugin } from '@overmind/provider';
import type { DataSource } from 'typeorm';
import { NodeEntity, type JobRow, type NodeRow, type ProviderRow } from '../../db/entities/index.js';
import type { Actor } from '../../lib/actor.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../../lib/errors.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { AuditService } from '../audit/audit-service.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobService } from '../jobs/job-service.js';
import type { ProviderService } from '../providers/provider-service.js';
import { validateAgainst } from '../providers/schema-validator.js';
import { nodeEvent } from './node-events.js';
import { pendingNode } from './node-service.js';

export interface RegisterNodeInput {
  name: string;
  registration: Record<string, unknown>;
  tags?: string[];
  /** Queue the agent install once registered; an object carries its options. */
  installAgent?: boolean | { prefix?: string };
}

/** Why a node cannot take part in work on registered servers, or null when it can. */
export function unmanagedReason(node: NodeRow): string | null {
  if (node.destroyedAt) return 'destroyed';
  if (node.decommissionedAt) return 'decommissioned';
  if (!node.registrationEnc) return 'not a registered server';
  if (!node.providerNodeId) return 'registration has not finished';
  return null;
}

/** Registration of existing servers (dedicated providers), their facts and their SSH host keys. */
export function createNodeRegistrationService(deps: {
  db: DataSource;
  providers: Pick<ProviderService, 'get' | 'plugin' | 'driverFor'>;
  secrets: SecretBox;
  jobs: Pick<JobService, 'enqueue'>;
  audit: Pick<AuditService, 'record'>;
  events: Pick<EventBus, 'publish'>;
}) {
  const { db, providers, jobs, audit, events } = deps;
  const nodes = db.getRepository(NodeEntity);

  async function pluginFor(providerId: string, capability: Capability, verb: string): Promise<{ provider: ProviderRow; plugin: ProviderPlugin }> {
    const provider = await providers.get(providerId);
    const plugin = await providers.plugin(provider.type);
    if (!plugin.capabilities.includes(capability)) throw new ConflictError(`${plugin.displayName} providers cannot ${verb}`);
    return { provider, plugin };
  }

  /** The plugin's own check (e.g. where its default secrets may go), as a 422 before anything is stored. */
  function checkRegistration(plugin: ProviderPlugin, provider: ProviderRow, registration: Record<string, unknown>): void {
    if (!plugin.checkRegistration) return;
    try {
      plugin.checkRegistration(registration, { credentials: deps.secrets.openJson(provider.credentialsEnc), settings: provider.settings });
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      throw new UnprocessableError(err.message, { errors: [{ field: 'body.registration', message: err.message }] });
    }
  }

  /** A registered, managed node whose provider can do `capability`. */
  async function registered(id: string, capability: Capability, verb: string) {
    const node = await nodes.findOneBy({ id });
    if (!node) throw new NotFoundError('Node', id);
    const { provider } = await pluginFor(node.providerId, capability, verb);
    const reason = unmanagedReason(node);
    if (reason) throw new ConflictError(`Node ${node.name} cannot ${verb}: ${reason}`);
    return { node: node as NodeRow & { providerNodeId: string }, provider };
  }

  return {
    /** The node's registration, decrypted, for its driver. */
    registrationOf(node: Pick<NodeRow, 'name' | 'registrationEnc'>): Record<string, unknown> {
      if (!node.registrationEnc) throw new Error(`node ${node.name} has no registration data`);
      return deps.secrets.openJson<Record<string, unknown>>(node.registrationEnc);
    },

    /** Stores the node (pending, registration sealed) and queues the job that reaches it. */
    async register(actor: Actor, providerId: string, input: RegisterNodeInput): Promise<JobRow> {
      const { provider, plugin } = await pluginFor(providerId, 'registerNode', 'register existing servers; create nodes instead');
      if (!plugin.registrationSchema) throw new ConflictError(`${plugin.displayName} providers do not describe their registration data`);
      const registration = validateAgainst<Record<string, unknown>>(plugin.registrationSchema, input.registration, 'body.registration');
      checkRegistration(plugin, provider, registration);
      return db.transaction(async (m) => {
        const node = await m.save(
          NodeEntity,
          m.create(NodeEntity, { ...pendingNode(actor, provider.id, input.name, input.tags), registrationEnc: deps.secrets.sealJson(registration) }),
        );
        const installAgent = input.installAgent === true ? {} : input.installAgent || undefined;
        const job = await jobs.enqueue(m, {
          type: 'node.register',
          targetType: 'node',
          targetId: node.id,
          providerId: provider.id,
          createdBy: actor.id,
          payload: installAgent ? { installAgent } : {},
        });
        const details = { name: node.name, providerId: provider.id, jobId: job.id, ...(installAgent ? { installAgent } : {}) };
        await audit.record(actor, 'node.register', { type: 'node', id: node.id }, details, { manager: m });
        await events.publish(nodeEvent(node), m);
        return job;
      });
    },

    async refreshFacts(actor: Actor, id: string): Promise<JobRow> {
      const { node } = await registered(id, 'gatherFacts', 'gather facts');
      return db.transaction(async (m) => {
        const job = await jobs.enqueue(m, { type: 'node.facts', targetType: 'node', targetId: id, providerId: node.providerId, createdBy: actor.id });
        await audit.record(actor, 'node.facts', { type: 'node', id }, { jobId: job.id }, { manager: m });
        return job;
      });
    },

    /** Reads the BMC's sensors (a job: BMCs answer in seconds); the readings are the job's result. */
    async readSensors(actor: Actor, id: string): Promise<JobRow> {
      const { node } = await registered(id, 'readSensors', 'read sensors');
      return db.transaction(async (m) => {
        const job = await jobs.enqueue(m, { type: 'node.sensors', targetType: 'node', targetId: id, providerId: node.providerId, createdBy: actor.id });
        await audit.record(actor, 'node.sensors', { type: 'node', id }, { jobId: job.id }, { manager: m });
        return job;
      });
    },

    /** Chooses what the server boots from next (pxe, disk, bios), through its BMC. */
    async setBootDevice(actor: Actor, id: string, device: BootDevice): Promise<JobRow> {
      const { node } = await registered(id, 'setBootDevice', 'set the boot device');
      return db.transaction(async (m) => {
        const job = await jobs.enqueue(m, {
          type: 'node.boot-device', targetType: 'node', targetId: id, providerId: node.providerId, createdBy: actor.id, payload: { device },
        });
        await audit.record(actor, 'node.boot-device', { type: 'node', id }, { jobId: job.id, device }, { manager: m });
        return job;
      });
    },

    /** Pins the host key the operator checked (after a reinstall); the next connection must present it. */
    async acceptHostKey(actor: Actor, id: string, fingerprint: string): Promise<{ nodeId: string; hostKeyFingerprint: string }> {
      const { node, provider } = await registered(id, 'acceptHostKey', 'accept host keys');
      const previous = node.driverState?.hostKeyFingerprint ?? null;
      const driver = await providers.driverFor(provider);
      try {
        await driver.acceptHostKey!(node.providerNodeId, fingerprint);
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        throw new UnprocessableError(err.message, { errors: [{ field: 'body.fingerprint', message: err.message }] });
      } finally {
        await driver.close?.().catch(() => {});
      }
      const saved = await nodes.findOneByOrFail({ id });
      const hostKeyFingerprint = String(saved.driverState?.hostKeyFingerprint ?? fingerprint);
      await audit.record(actor, 'node.accept-host-key', { type: 'node', id }, { fingerprint: hostKeyFingerprint, previous });
      return { nodeId: id, hostKeyFingerprint };
    },
  };
}

export type NodeRegistrationService = ReturnType<typeof createNodeRegistrationService>;
