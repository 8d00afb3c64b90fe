import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DashboardPage } from '../src/pages/dashboard-page.js';
import { renderAt } from './render-at.js';
import { fakeApi, signIn } from './fake-api.js';

const PROVIDERS = [
  { id: 'p1', name: 'lab', type: 'dummy', status: 'ok', statusMessage: null, lastSyncAt: null },
  { id: 'p2', name: 'rack', type: 'ipmi', status: 'error', statusMessage: 'BMC unreachable', lastSyncAt: null },
];
const job = (id: string, type: string, state: string) => ({ id, type, state, progress: 0, createdAt: '2026-01-01T00:00:00Z', error: state === 'failed' ? 'boom' : null });

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the dashboard', () => {
  it('counts nodes per provider and per state from list totals, and lists recent and failed jobs', async () => {
    signIn('observer');
    const seen = fakeApi((req) => {
      if (req.path === '/api/v1/providers') return { status: 200, body: { items: PROVIDERS, page: 1, limit: 200, total: 2 } };
      if (req.path === '/api/v1/nodes') {
        // Totals the list would report over all pages; the dashboard must not count items.
        const total = req.query.providerId === 'p1' ? 120 : req.query.providerId === 'p2' ? 3 : req.query.state === 'running' ? 101 : req.query.state === 'error' ? 2 : 0;
        return { status: 200, body: { items: [], page: 1, limit: 1, total } };
      }
      if (req.path === '/api/v1/jobs') {
        const items = req.query.state === 'failed' ? [job('j9', 'provider.sync', 'failed')] : [job('j1', 'node.create', 'running'), job('j9', 'provider.sync', 'failed')];
        return { status: 200, body: { items, page: 1, limit: 10, total: items.length } };
      }
      return { status: 404, body: { status: 404, detail: 'no fake' } };
    });
    renderAt('/', <Route path="/" element={<DashboardPage />} />);

    const providers = await screen.findByRole('table', { name: 'Providers' });
    await waitFor(() => expect(within(providers).getByRole('link', { name: '120' }).getAttribute('href')).toBe('/nodes?providerId=p1'));
    expect(within(providers).getByRole('link', { name: '3' })).toBeTruthy();
    expect(within(providers).getByText('error').getAttribute('title')).toBe('BMC unreachable');
    const states = screen.getByRole('table', { name: 'Nodes by state' });
    await waitFor(() => expect(within(states).getByRole('link', { name: '101' }).getAttribute('href')).toBe('/nodes?state=running'));
    expect(states.querySelector('tr[data-state="error"]')?.textContent).toContain('2');
    expect(seen.filter((r) => r.path === '/api/v1/nodes').every((r) => r.query.limit === 1)).toBe(true);
    expect(within(await screen.findByRole('table', { name: 'Failed jobs' })).getByText('boom')).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Recent jobs' })).getByRole('link', { name: 'node.create' })).toBeTruthy();
  });
});
