import type { HealthCheck } from '@overmind/provider';

export interface NodeActionPayload {
  /** The node's state before the action was queued, restored if the job is cancelled. */
  previousState?: string;
}

/** Typed payloads, one per job type: the queue's single source of truth. */
export interface JobPayloads {
  'node.create': { sshPublicKey?: string; userData?: string; networkIds?: string[] | 'auto' | 'none'; floatingIp?: boolean };
  'node.reboot': NodeActionPayload;
  'node.start': NodeActionPayload;
  'node.stop': NodeActionPayload;
  'node.destroy': NodeActionPayload;
  /**
   * Registers an existing server; its registration stays sealed in the node row, never here. With
   * `installAgent`, the node's agent install is queued once it is registered.
   */
  'node.register': { installAgent?: { prefix?: string } };
  'node.facts': Record<string, never>;
  /** Reads a registered server's sensors through its BMC; the readings are the job's result. */
  'node.sensors': Record<string, never>;
  /** Sets the device a registered server boots from next time, through its BMC. */
  'node.boot-device': { device: 'pxe' | 'disk' | 'bios' };
  /**
   * One command on many registered nodes; the job targets the first. Its environment is SecretBox-
   * sealed (`envSealed`, removed once the job ran); only the names are in the clear.
   */
  'nodes.run': { nodeIds: string[]; command: string; timeoutSeconds?: number; concurrency?: number; envNames?: string[]; envSealed?: string };
  /** Applies the node's server role to it (wait for SSH, run the CM plugin). */
  'node.configure': NodeActionPayload;
  /**
   * Installs or upgrades the node's agent over Overmind's SSH access to it; `prefix`: every path under
   * that root, as the login user. The join token is minted inside the job, never stored here.
   */
  'node.agent-install': { prefix?: string };
  /** Applies a server role to all its nodes; the job targets the role. */
  'server-role.apply': { concurrency: number };
  /**
   * Brings a constellation's members to a spec version: the parent of its members' node jobs, which
   * it queues in dependency order (steps in constellation_steps) and waits on (JobContinue).
   */
  'constellation.apply': { version: number };
  /** Destroys every member of a constellation the same way, then the constellation. */
  'constellation.destroy': Record<string, never>;
  /**
   * The service guarantee's replace step: a new member under a fresh key (created, configured), then
   * the old one destroyed, as apply steps of this parent; `nodeId` is the member replaced.
   */
  'constellation.replace': { version: number; nodeId: string };
  /** Makes the balancer at its provider (or on its HAProxy host) with the members queued with it. */
  'balancer.create': Record<string, never>;
  'balancer.destroy': Record<string, never>;
  /** Puts a node into the balancer's rotation (its row in balancer_members says which). */
  'balancer.attach': { nodeId: string };
  /** Takes a node out of the rotation, letting its connections drain, then forgets it. */
  'balancer.detach': { nodeId: string };
  /** Gives the balancer this health check (the row keeps the old one until the provider took it). */
  'balancer.health-check': { healthCheck: HealthCheck };
  'provider.sync': Record<string, never>;
  'provider.refresh': Record<string, never>;
  /** Does nothing; used to measure the queue itself. */
  noop: Record<string, never>;
}

export type JobType = keyof JobPayloads;

export const JOB_TYPES = [
  'node.create',
  'node.reboot',
  'node.start',
  'node.stop',
  'node.destroy',
  'node.register',
  'node.facts',
  'node.sensors',
  'node.boot-device',
  'nodes.run',
  'node.configure',
  'node.agent-install',
  'server-role.apply',
  'constellation.apply',
  'constellation.destroy',
  'constellation.replace',
  'balancer.create',
  'balancer.destroy',
  'balancer.attach',
  'balancer.detach',
  'balancer.health-check',
  'provider.sync',
  'provider.refresh',
  'noop',
] as const satisfies readonly JobType[];

export type JobTargetType = 'node' | 'provider' | 'server-role' | 'constellation' | 'balancer' | 'system';

export interface EnqueueRequest<T extends JobType = JobType> {
  type: T;
  targetType: JobTargetType;
  targetId: string;
  providerId?: string | null;
  payload?: JobPayloads[T];
  createdBy?: string | null;
  /** Overrides the configured retry count (e.g. 0 for a job that must not repeat). */
  retries?: number;
}
