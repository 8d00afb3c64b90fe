import type { Job } from '@overmind/sdk';
import { useCancelJob } from '../api/job-cancel-queries.js';
import { isCancellable } from '../api/job-queries.js';
import { hasRole } from '../api/session-store.js';
import { useSession } from '../session-context.js';
import { ErrorNotice } from './error-notice.js';

/**
 * Cancels a queued job, for operators and admins. It stays mounted once the job has changed state, so
 * the outcome (a confirmation, or why it was too late) is still on screen.
 */
export function JobCancelButton({ job, label = 'Cancel job', describedBy }: { job: Job; label?: string; describedBy?: string }) {
  const session = useSession();
  const cancel = useCancelJob();
  if (!hasRole(session, 'operator')) return null;
  return (
    <>
      {isCancellable(job) && (
        <button type="button" className="danger" aria-describedby={describedBy} disabled={cancel.isPending} onClick={() => cancel.mutate(job)}>
          {cancel.isPending ? 'Cancelling…' : label}
        </button>
      )}
      {cancel.isSuccess && <span role="status">Job cancelled.</span>}
      <ErrorNotice error={cancel.error} />
    </>
  );
}
