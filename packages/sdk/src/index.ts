export { createOvermindClient, type OvermindClient, type OvermindClientOptions, type WaitOptions } from './client.js';
export { idempotencyHeader, newIdempotencyKey, untilNotInProgress, type IdempotencyOptions } from './idempotency.js';
export { OvermindApiError, type FieldError, type Problem } from './api-error.js';
export type * from './types.js';
export { FINISHED_JOB_STATES } from './types.js';
export type { paths } from './schema.js';
