import { Type } from 'typebox';
import { JOB_STATES, type JobRow } from '../../db/entities/index.js';
import { DateTime, Nullable, NullableDateTime, Uuid } from '../../lib/schemas.js';
import { JOB_TYPES } from './job-types.js';

export const JobStateSchema = Type.Enum(JOB_STATES);
export const JobTypeSchema = Type.Enum(JOB_TYPES);

export const JobSchema = Type.Object(
  {
    id: Uuid,
    type: JobTypeSchema,
    targetType: Type.String(),
    targetId: Uuid,
    providerId: Nullable(Uuid),
    state: JobStateSchema,
    progress: Type.Integer({ minimum: 0, maximum: 100 }),
    attempts: Type.Integer(),
    maxAttempts: Type.Integer(),
    result: Nullable(Type.Record(Type.String(), Type.Unknown())),
    error: Nullable(Type.String()),
    createdBy: Nullable(Uuid),
    createdAt: DateTime,
    startedAt: NullableDateTime,
    finishedAt: NullableDateTime,
    updatedAt: DateTime,
  },
  { title: 'Job' },
);

/** Payloads can hold user data; they stay inside. */
export function jobView(job: JobRow) {
  const { payload: _payload, queueJobId: _q, ...rest } = job;
  return rest;
}
