import type { Job } from '@overmind/sdk';
import { Table } from '@mantine/core';
import { useId } from 'react';
import { Link } from 'react-router';
import { hasRole } from '../api/session-store.js';
import { JobCancelButton } from '../components/job-cancel-button.js';
import { StateBadge } from '../components/state-badge.js';
import { useSession } from '../session-context.js';
import { TableScroll } from '../components/table-scroll.js';
import { RelativeTime } from '../components/relative-time.js';

/** Jobs, newest first as given. On a phone: the job, its state, when, and Cancel; progress and error are on its page. */
export function JobTable({ jobs, caption }: { jobs: Job[]; caption?: string }) {
  const operator = hasRole(useSession(), 'operator');
  const ids = useId();
  const columns = operator ? 6 : 5;
  return (
    <TableScroll>
      <Table captionSide="top">
        {caption && <caption>{caption}</caption>}
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Job</Table.Th><Table.Th scope="col">State</Table.Th><Table.Th scope="col" className="col-secondary">Progress</Table.Th>
            <Table.Th scope="col">Created</Table.Th><Table.Th scope="col" className="col-secondary">Error</Table.Th>
            {operator && <Table.Th scope="col"><span className="visually-hidden">Actions</span></Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {jobs.map((j) => (
            <Table.Tr key={j.id} data-job-id={j.id}>
              <Table.Td><Link id={`${ids}-${j.id}`} to={`/jobs/${j.id}`}>{j.type}</Link></Table.Td>
              <Table.Td><StateBadge state={j.state} /></Table.Td>
              <Table.Td className="col-secondary">{j.progress}%</Table.Td>
              <Table.Td><RelativeTime at={j.createdAt} /></Table.Td>
              <Table.Td className="col-secondary">{j.error ?? ''}</Table.Td>
              {operator && <Table.Td><JobCancelButton job={j} label="Cancel" describedBy={`${ids}-${j.id}`} /></Table.Td>}
            </Table.Tr>
          ))}
          {jobs.length === 0 && <Table.Tr><Table.Td colSpan={columns}>No jobs.</Table.Td></Table.Tr>}
        </Table.Tbody>
      </Table>
    </TableScroll>
  );
}
