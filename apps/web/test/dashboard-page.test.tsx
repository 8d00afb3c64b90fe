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
const stateCounts = (n: number) => Object.fromEntries(['running', 'starting', 'stopping', 'stopped', 'rebooting', 'pending', 'configuring', 'terminated', 'error', 'unknown'].map((s) => [s, n]));
const job = (id: string, type: string, state: string) => ({ id, type, state, progress: 0, createdAt: '2026-01-01T00:00:00Z', error: state === 'failed' ? 'boom' : null });

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the dashboard', () => {
  it('counts nodes per provider and per state from one summary request, and lists recent and failed jobs', async () => {
    signIn('observer');
    const seen = fakeApi((req) => {
      if (req.path === '/api/v1/providers') return { status: 200, body: { items: PROVIDERS, page: 1, limit: 200, total: 2 } };
      if (req.path === '/api/v1/nodes/summary') {
        // p2 has no live nodes, so the summary does not list it.
        return { status: 200, body: { total: 120, byState: { ...stateCounts(0), running: 101, error: 2, stopped: 17 }, byProvider: [{ providerId: 'p1', total: 120, byState: { ...stateCounts(0), running: 101, error: 2, stopped: 17 } }] } };
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
    expect(within(providers).getByRole('link', { name: '0' }).getAttribute('href')).toBe('/nodes?providerId=p2');
    expect(within(providers).getByText('error').getAttribute('title')).toBe('BMC unreachable');
    const states = screen.getByRole('table', { name: 'Nodes by state' });
    await waitFor(() => expect(within(states).getByRole('link', { name: '101' }).getAttribute('href')).toBe('/nodes?state=running'));
    expect(states.querySelector('tr[data-state="error"]')?.textContent).toContain('2');
    expect(states.querySelector('tr[data-state="stopped"]')?.textContent).toContain('17');
    expect(seen.filter((r) => r.path.startsWith('/api/v1/nodes'))).toHaveLength(1);
    expect(within(await screen.findByRole('table', { name: 'Failed jobs' })).getByText('boom')).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Recent jobs' })).getByRole('link', { name: 'node.create' })).toBeTruthy();
  });
});
