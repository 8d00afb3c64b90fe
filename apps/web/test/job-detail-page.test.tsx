import { cleanup, screen, waitFor } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobDetailPage } from '../src/pages/job-detail-page.js';
import { fakeApi, signIn } from './fake-api.js';
import { renderAt } from './render-at.js';

const job = (id: string, type: string, targetType: string, targetId: string) => ({
  id, type, state: 'succeeded', attempts: 1, maxAttempts: 3, progress: 100, targetType, targetId, providerId: 'p1',
  result: null, error: null, createdBy: 'u1', createdAt: '2026-01-01T00:00:00Z', startedAt: null, finishedAt: null, updatedAt: '2026-01-01T00:00:00Z',
});
const jobs = [job('j1', 'node.create', 'node', 'n1'), job('j2', 'provider.sync', 'provider', 'p1'), job('j3', 'node.reboot', 'node', 'gone')];

function setup() {
  fakeApi((req) => {
    if (req.path.endsWith('/logs')) return { status: 200, body: { items: [] } };
    const found = jobs.find((j) => req.path === `/api/v1/jobs/${j.id}`);
    if (found) return { status: 200, body: { ...found } };
    if (req.path === '/api/v1/nodes/n1') return { status: 200, body: { id: 'n1', name: 'web-1' } };
    if (req.path === '/api/v1/providers/p1') return { status: 200, body: { id: 'p1', name: 'rack-east', type: 'dedicated' } };
    return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
  });
}

const target = () => screen.getByText('Target').nextElementSibling as HTMLElement;

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the job page', () => {
  it("names the job's target and links to its page", async () => {
    signIn('observer');
    setup();
    renderAt('/jobs/j1', <Route path="/jobs/:id" element={<JobDetailPage />} />);
    await screen.findByRole('heading', { name: /node\.create/ });
    await waitFor(() => expect(target().textContent).toBe('node web-1'));
    expect(target().querySelector('a')!.getAttribute('href')).toBe('/nodes/n1');
    cleanup();

    renderAt('/jobs/j2', <Route path="/jobs/:id" element={<JobDetailPage />} />);
    await screen.findByRole('heading', { name: /provider\.sync/ });
    await waitFor(() => expect(target().textContent).toBe('provider rack-east'));
    expect(target().querySelector('a')!.getAttribute('href')).toBe('/providers/p1');
  });

  it('keeps the id of a target it cannot name (gone, or not readable)', async () => {
    signIn('observer');
    setup();
    renderAt('/jobs/j3', <Route path="/jobs/:id" element={<JobDetailPage />} />);
    await screen.findByRole('heading', { name: /node\.reboot/ });
    expect(target().textContent).toBe('node gone');
    expect(target().querySelector('a')!.getAttribute('href')).toBe('/nodes/gone');
  });
});
