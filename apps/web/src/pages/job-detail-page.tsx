import { Link, useParams } from 'react-router';
import { isFinished, useJob } from '../api/job-queries.js';
import { ErrorNotice } from '../components/error-notice.js';
import { JobCancelButton } from '../components/job-cancel-button.js';
import { JobTarget } from '../components/job-target.js';
import { StateBadge } from '../components/state-badge.js';
import { JobLogView } from './job-log-view.js';

const when = (at: string | null) => (at ? new Date(at).toLocaleString() : '—');

export function JobDetailPage() {
  const { id = '' } = useParams();
  const job = useJob(id);
  if (job.error) return <ErrorNotice error={job.error} />;
  if (!job.data) return <p aria-busy="true">Loading…</p>;
  const j = job.data;
  const failed = j.state === 'failed';
  return (
    <section>
      <h1>{j.type} <StateBadge state={j.state} /></h1>
      {failed && (
        <div role="alert" className="error-notice job-failure">
          <strong>This job failed{j.error ? ':' : '.'}</strong>
          {j.error && <pre>{j.error}</pre>}
        </div>
      )}
      <div className="actions">
        <JobCancelButton job={j} />
        <Link to={`/jobs?target=${j.targetId}`}>All jobs on this {j.targetType}</Link>
      </div>
      <dl className="facts">
        <dt>Target</dt><dd>{j.targetId ? <JobTarget type={j.targetType} id={j.targetId} /> : j.targetType}</dd>
        <dt>Progress</dt><dd><progress max={100} value={j.progress} aria-label="Progress" /> {j.progress}%</dd>
        <dt>Attempts</dt><dd>{j.attempts} of {j.maxAttempts}</dd>
        <dt>Created</dt><dd>{when(j.createdAt)}</dd>
        <dt>Started</dt><dd>{when(j.startedAt)}</dd>
        <dt>Finished</dt><dd>{when(j.finishedAt)}</dd>
        {/* A queued retry keeps the error of the attempt before. */}
        {j.error && !failed && <><dt>Last error</dt><dd className="field-error">{j.error}</dd></>}
      </dl>
      <h2>Log</h2>
      <JobLogView id={j.id} live={!isFinished(j.state)} />
    </section>
  );
}
