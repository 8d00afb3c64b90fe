import type { Job, JobState, ListJobsQuery } from '@overmind/sdk';
import { useJobs } from '../api/job-queries.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Pager } from '../components/pager.js';
import { JobTable } from './job-table.js';
import { useUrlFilters } from '../components/use-url-filters.js';

const STATES: JobState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
// A map, not a list, so a job type the API adds is a compile error here until it is offered.
const TYPE_SET: Record<Job['type'], true> = {
  'node.create': true, 'node.reboot': true, 'node.start': true, 'node.stop': true, 'node.destroy': true,
  'node.register': true, 'node.facts': true, 'node.sensors': true, 'node.boot-device': true, 'nodes.run': true,
  'node.configure': true, 'node.agent-install': true, 'server-role.apply': true, 'constellation.apply': true, 'constellation.destroy': true, 'constellation.replace': true,
  'provider.sync': true, 'provider.refresh': true, noop: true,
  'balancer.create': true, 'balancer.destroy': true, 'balancer.attach': true, 'balancer.detach': true, 'balancer.health-check': true,
};
const TYPES = Object.keys(TYPE_SET) as Job['type'][];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function AnyOf({ label, value, options, onChange }: { label: string; value: string | undefined; options: string[]; onChange: (value: string) => void }) {
  return (
    <label>{label}{' '}
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
        <option value="">any</option>
        {options.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    </label>
  );
}

/** All jobs, filtered by state, type and target; the filters live in the URL so a view can be shared. */
export function JobsPage() {
  const [params, update] = useUrlFilters();
  const state = STATES.find((s) => s === params.get('state'));
  const type = TYPES.find((t) => t === params.get('type'));
  const target = params.get('target') ?? '';
  const targetValid = target === '' || UUID.test(target);
  const page = Number(params.get('page') ?? 1) || 1;
  const query: ListJobsQuery = { page, limit: 50, ...(state ? { state } : {}), ...(type ? { type } : {}), ...(target && targetValid ? { target } : {}) };
  const jobs = useJobs(query);
  const set = (k: string, v: string) => update({ [k]: v });
  return (
    <section>
      <h1>Jobs</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <AnyOf label="State" value={state} options={STATES} onChange={(v) => set('state', v)} />
        <AnyOf label="Type" value={type} options={TYPES} onChange={(v) => set('type', v)} />
        <div className="field">
          <label htmlFor="job-target">Target id</label>
          <input id="job-target" type="search" value={target} spellCheck={false} size={36} placeholder="node or provider id"
            aria-invalid={!targetValid} aria-describedby={targetValid ? undefined : 'job-target-error'}
            onChange={(e) => set('target', e.target.value.trim())} />
          {!targetValid && <small id="job-target-error" className="field-error">A target id is a UUID, like the one in a node's address.</small>}
        </div>
      </form>
      <ErrorNotice error={jobs.error} />
      {jobs.data && <JobTable jobs={jobs.data.items} />}
      {jobs.data && <Pager page={jobs.data.page} limit={jobs.data.limit} total={jobs.data.total} onPage={(p) => set('page', String(p))} />}
    </section>
  );
}
