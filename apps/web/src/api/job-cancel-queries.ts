import { OvermindApiError, type Job } from '@overmind/sdk';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { jobKeys } from './job-queries.js';
import { nodeKeys } from './node-queries.js';
import { overmind } from './overmind-client.js';
import { call } from './sdk-call.js';

/** The API's 409 names the job by id and state; the person who clicked needs to know what happened. */
function readable(error: unknown): unknown {
  if (!(error instanceof OvermindApiError) || error.status !== 409) return error;
  return new OvermindApiError({
    status: 409,
    title: 'Too late to cancel',
    detail: 'This job has already started (or finished), so it can no longer be cancelled.',
    requestId: error.requestId,
  });
}

/**
 * Cancels a queued job. A cancelled node job puts its node back in its earlier state; the node event
 * reaches every console, and this one also refreshes its node caches at once.
 */
export function useCancelJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (job: Pick<Job, 'id' | 'targetType'>) =>
      call(overmind.raw.POST('/api/v1/jobs/{id}/cancel', { params: { path: { id: job.id } } })).catch((error: unknown) => {
        throw readable(error);
      }),
    onSuccess: (job) => client.setQueryData(jobKeys.detail(job.id), job),
    onSettled: (_job, _error, { targetType }) =>
      Promise.all([
        client.invalidateQueries({ queryKey: jobKeys.all }),
        targetType === 'node' ? client.invalidateQueries({ queryKey: nodeKeys.all }) : undefined,
      ]),
  });
}
