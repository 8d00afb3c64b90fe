import { EntitySchema } from 'typeorm';
import type { JobType } from '../../modules/jobs/job-types.js';

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobRow {
  id: string;
  type: JobType;
  targetType: string;
  targetId: string;
  providerId: string | null;
  state: JobState;
  progress: number;
  attempts: number;
  maxAttempts: number;
  payload: Record<string, unknown>;
  result: Record<string, unknown> | null;
  error: string | null;
  queueJobId: string | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export const JobEntity = new EntitySchema<JobRow>({
  name: 'Job',
  tableName: 'jobs',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    type: { type: 'text' },
    targetType: { type: 'text', name: 'target_type' },
    targetId: { type: 'uuid', name: 'target_id' },
    providerId: { type: 'uuid', name: 'provider_id', nullable: true },
    state: { type: 'text' },
    progress: { type: 'integer' },
    attempts: { type: 'integer' },
    maxAttempts: { type: 'integer', name: 'max_attempts' },
    payload: { type: 'jsonb' },
    result: { type: 'jsonb', nullable: true },
    error: { type: 'text', nullable: true },
    queueJobId: { type: 'uuid', name: 'queue_job_id', nullable: true },
    createdBy: { type: 'uuid', name: 'created_by', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    startedAt: { type: 'timestamptz', name: 'started_at', nullable: true },
    finishedAt: { type: 'timestamptz', name: 'finished_at', nullable: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at', updateDate: true },
  },
});

export interface AuditEventRow {
  id: string;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

export const AuditEventEntity = new EntitySchema<AuditEventRow>({
  name: 'AuditEvent',
  tableName: 'audit_events',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    at: { type: 'timestamptz', createDate: true },
    actorId: { type: 'uuid', name: 'actor_id', nullable: true },
    actorName: { type: 'text', name: 'actor_name', nullable: true },
    action: { type: 'text' },
    targetType: { type: 'text', name: 'target_type', nullable: true },
    targetId: { type: 'text', name: 'target_id', nullable: true },
    ip: { type: 'text', nullable: true },
    requestId: { type: 'text', name: 'request_id', nullable: true },
    outcome: { type: 'text' },
    details: { type: 'jsonb' },
  },
});
