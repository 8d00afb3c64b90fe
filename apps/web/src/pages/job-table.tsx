import type { Job } from '@overmind/sdk';
import { Link } from 'react-router';
import { StateBadge } from '../components/state-badge.js';

export function JobTable({ jobs, caption }: { jobs: Job[]; caption?: string }) {
  return (
    <table>
      {caption && <caption>{caption}</caption>}
      <thead><tr><th scope="col">Job</th><th scope="col">State</th><th scope="col">Progress</th><th scope="col">Created</th><th scope="col">Error</th></tr></thead>
      <tbody>
        {jobs.map((j) => (
          <tr key={j.id} data-job-id={j.id}>
            <td><Link to={`/jobs/${j.id}`}>{j.type}</Link></td>
            <td><StateBadge state={j.state} /></td>
            <td>{j.progress}%</td>
            <td>{new Date(j.createdAt).toLocaleString()}</td>
            <td>{j.error ?? ''}</td>
          </tr>
        ))}
        {jobs.length === 0 && <tr><td colSpan={5}>No jobs.</td></tr>}
      </tbody>
    </table>
  );
}
