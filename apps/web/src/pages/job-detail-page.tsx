import { Link, useParams } from 'react-router';
import { useJob, useJobLogs } from '../api/job-queries.js';
import { ErrorNotice } from '../components/error-notice.js';
import { StateBadge } from '../components/state-badge.js';

export function JobDetailPage() {
  const { id = '' } = useParams();
  const job = useJob(id);
  const logs = useJobLogs(id);
  if (job.error) return <ErrorNotice error={job.error} />;
  if (!job.data) return <p aria-busy="true">Loading…</p>;
  const j = job.data;
  return (
    <section>
      <h1>{j.type} <StateBadge state={j.state} /></h1>
      <dl className="facts">
        <dt>Target</dt><dd>{j.targetType === 'node' ? <Link to={`/nodes/${j.targetId}`}>node {j.targetId}</Link> : `${j.targetType} ${j.targetId}`}</dd>
        <dt>Progress</dt><dd><progress max={100} value={j.progress} aria-label="Progress" /> {j.progress}%</dd>
        <dt>Attempts</dt><dd>{j.attempts} of {j.maxAttempts}</dd>
        <dt>Created</dt><dd>{new Date(j.createdAt).toLocaleString()}</dd>
        <dt>Finished</dt><dd>{j.finishedAt ? new Date(j.finishedAt).toLocaleString() : '—'}</dd>
        {j.error && <><dt>Error</dt><dd className="field-error">{j.error}</dd></>}
      </dl>
      <h2>Log</h2>
      <ErrorNotice error={logs.error} />
      <pre className="log" aria-label="Job log" tabIndex={0}>
        {logs.data?.items.map((l) => `${new Date(l.at).toLocaleTimeString()} ${l.level.padEnd(5)} ${l.line}`).join('\n') || 'No log lines yet.'}
      </pre>
    </section>
  );
}
