import type { Job } from '@overmind/sdk';
import { useId } from 'react';
import { Link } from 'react-router';
import { hasRole } from '../api/session-store.js';
import { JobCancelButton } from '../components/job-cancel-button.js';
import { StateBadge } from '../components/state-badge.js';
import { useSession } from '../session-context.js';

export function JobTable({ jobs, caption }: { jobs: Job[]; caption?: string }) {
  const operator = hasRole(useSession(), 'operator');
  const ids = useId();
  const columns = operator ? 6 : 5;
  return (
    <div className="table-scroll">
      <table>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            <th scope="col">Job</th><th scope="col">State</th><th scope="col">Progress</th><th scope="col">Created</th><th scope="col">Error</th>
            {operator && <th scope="col"><span className="visually-hidden">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id} data-job-id={j.id}>
              <td><Link id={`${ids}-${j.id}`} to={`/jobs/${j.id}`}>{j.type}</Link></td>
              <td><StateBadge state={j.state} /></td>
              <td>{j.progress}%</td>
              <td>{new Date(j.createdAt).toLocaleString()}</td>
              <td>{j.error ?? ''}</td>
              {operator && <td><JobCancelButton job={j} label="Cancel" describedBy={`${ids}-${j.id}`} /></td>}
            </tr>
          ))}
          {jobs.length === 0 && <tr><td colSpan={columns}>No jobs.</td></tr>}
        </tbody>
      </table>
    </div>
  );
}
