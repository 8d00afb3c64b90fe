import type { JobState } from '@overmind/sdk';
import { useSearchParams } from 'react-router';
import { useJobs } from '../api/job-queries.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Pager } from '../components/pager.js';
import { JobTable } from './job-table.js';

const STATES: JobState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

export function JobsPage() {
  const [params, setParams] = useSearchParams();
  const state = STATES.find((s) => s === params.get('state'));
  const page = Number(params.get('page') ?? 1) || 1;
  const jobs = useJobs({ page, limit: 50, ...(state ? { state } : {}) });
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    (v ? next.set(k, v) : next.delete(k));
    if (k !== 'page') next.delete('page');
    setParams(next, { replace: true });
  };
  return (
    <section>
      <h1>Jobs</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>State{' '}
          <select value={state ?? ''} onChange={(e) => set('state', e.target.value)}>
            <option value="">any</option>
            {STATES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
      </form>
      <ErrorNotice error={jobs.error} />
      {jobs.data && <JobTable jobs={jobs.data.items} />}
      {jobs.data && <Pager page={jobs.data.page} limit={jobs.data.limit} total={jobs.data.total} onPage={(p) => set('page', String(p))} />}
    </section>
  );
}
