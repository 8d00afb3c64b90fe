import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobDetailPage } from '../src/pages/job-detail-page.js';
import { JobsPage } from '../src/pages/jobs-page.js';
import { renderAt } from './render-at.js';
import { fakeApi, problem, signIn, type FakeAnswer, type FakeRequest } from './fake-api.js';

const job = (id: string, state: string, attempts = 0) => ({
  id, type: 'node.reboot', state, attempts, maxAttempts: 3, progress: 0, targetType: 'node', targetId: 'n1', providerId: 'p1',
  result: null, error: null, createdBy: 'u1', createdAt: '2026-01-01T00:00:00Z', startedAt: null, finishedAt: null, updatedAt: '2026-01-01T00:00:00Z',
});

/** A job API over `jobs`; `cancel` answers the cancel request (default: the job turns cancelled). */
function setup(jobs: ReturnType<typeof job>[], cancel?: (req: FakeRequest) => FakeAnswer) {
  return fakeApi((req) => {
    if (req.path === '/api/v1/jobs') return { status: 200, body: { items: jobs.map((j) => ({ ...j })), page: 1, limit: 50, total: jobs.length } };
    if (req.path.endsWith('/logs')) return { status: 200, body: { items: [] } };
    const found = jobs.find((j) => req.path.replace(/\/cancel$/, '') === `/api/v1/jobs/${j.id}`);
    if (found && req.method === 'POST') {
      if (cancel) return cancel(req);
      found.state = 'cancelled';
      return { status: 200, body: { ...found } };
    }
    // Copies, as from a real API: the cache must not share objects with the fake.
    if (found) return { status: 200, body: { ...found } };
    return { status: 404, body: { status: 404, detail: 'no fake' } };
  });
}

const renderJobs = (path = '/jobs') => renderAt(path, <Route path="/jobs" element={<JobsPage />} />);
const renderDetail = (id: string) => renderAt(`/jobs/${id}`, <Route path="/jobs/:id" element={<JobDetailPage />} />);
const row = async (id: string) => {
  await screen.findAllByRole('row');
  return document.querySelector<HTMLElement>(`tr[data-job-id="${id}"]`)!;
};

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('cancelling a job', () => {
  it('offers Cancel in the table only for jobs that have not started', async () => {
    signIn('operator');
    setup([job('q', 'queued'), job('r', 'running', 1), job('retry', 'queued', 1), job('s', 'succeeded', 1)]);
    renderJobs();
    expect(within(await row('q')).getByRole('button', { name: 'Cancel' })).toBeTruthy();
    for (const id of ['r', 'retry', 's']) expect(within(await row(id)).queryByRole('button')).toBeNull();
  });

  it('offers observers no Cancel, in the table or on the job page', async () => {
    signIn('observer');
    setup([job('q', 'queued')]);
    renderJobs();
    await row('q');
    expect(screen.queryByRole('button', { name: /cancel/i })).toBeNull();
    expect(screen.queryByRole('columnheader', { name: 'Actions' })).toBeNull();
    cleanup();
    renderDetail('q');
    await screen.findByRole('heading', { name: /node\.reboot/ });
    expect(screen.queryByRole('button', { name: /cancel/i })).toBeNull();
  });

  it('cancels from the table, says so, and refreshes the list', async () => {
    signIn('operator');
    const seen = setup([job('q', 'queued')]);
    renderJobs();
    fireEvent.click(within(await row('q')).getByRole('button', { name: 'Cancel' }));
    expect((await screen.findByRole('status')).textContent).toBe('Job cancelled.');
    expect(seen.some((r) => r.method === 'POST' && r.path === '/api/v1/jobs/q/cancel')).toBe(true);
    await waitFor(() => expect((document.querySelector('tr[data-job-id="q"] .badge') as HTMLElement).dataset.state).toBe('cancelled'));
    expect(seen.filter((r) => r.path === '/api/v1/jobs').length).toBeGreaterThan(1);
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('cancels from the job page and shows the new state', async () => {
    signIn('admin');
    setup([job('q', 'queued')]);
    renderDetail('q');
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel job' }));
    expect((await screen.findByRole('status')).textContent).toBe('Job cancelled.');
    expect(screen.getByRole('heading', { name: /node\.reboot/ }).querySelector('.badge')?.textContent).toBe('cancelled');
    expect(screen.queryByRole('button', { name: 'Cancel job' })).toBeNull();
  });

  it('explains a 409 (the job started meanwhile) with the request id', async () => {
    signIn('operator');
    const jobs = [job('q', 'queued')];
    setup(jobs, () => {
      jobs[0]!.state = 'running';
      return problem(409, 'Job q is running; only jobs that have not started can be cancelled', 'req-409');
    });
    renderDetail('q');
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel job' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Too late to cancel (409): This job has already started (or finished), so it can no longer be cancelled.');
    expect(alert.textContent).toContain('req-409');
    // The refetch shows why, and the button is gone.
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Cancel job' })).toBeNull());
    expect(screen.getByRole('heading', { name: /node\.reboot/ }).querySelector('.badge')?.textContent).toBe('running');
  });
});
