export interface NodeActionPayload {
  /** The node's state before the action was queued, restored if the job is cancelled. */
  previousState?: string;
}

/** Typed payloads, one per job type: the queue's single source of truth. */
export interface JobPayloads {
  'node.create': { sshPublicKey?: string; userData?: string };
  'node.reboot': NodeActionPayload;
  'node.start': NodeActionPayload;
  'node.stop': NodeActionPayload;
  'node.destroy': NodeActionPayload;
  /** Registers an existing server; its registration stays sealed in the node row, never here. */
  'node.register': Record<string, never>;
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
  /** Applies a server role to all its nodes; the job targets the role. */
  'server-role.apply': { concurrency: number };
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
  'server-role.apply',
  'provider.sync',
  'provider.refresh',
  'noop',
] as const satisfies readonly JobType[];

export type JobTargetType = 'node' | 'provider' | 'server-role' | 'system';

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
