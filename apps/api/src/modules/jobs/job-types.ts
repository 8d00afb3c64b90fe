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
  'provider.sync',
  'provider.refresh',
  'noop',
] as const satisfies readonly JobType[];

export type JobTargetType = 'node' | 'provider' | 'system';

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
