import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyEvent } from '../src/api/live-updates.js';
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
      if (req.path === '/api/v1/nodes') return { status: 200, body: { items: [], page: 1, limit: 5, total: 0 } };
      if (req.path === '/api/v1/jobs/stats') {
        const hour = (at: string, started: number, succeeded: number, failed: number) => ({ at, started, succeeded, failed, cancelled: 0 });
        return { status: 200, body: { hours: [hour('2026-01-01T00:00:00Z', 5, 3, 1), hour('2026-01-01T01:00:00Z', 2, 4, 2)] } };
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
    // The counts come from the summary alone; the only node lists are the busiest-nodes tables (5 rows each).
    expect(seen.filter((r) => r.path === '/api/v1/nodes/summary')).toHaveLength(1);
    expect(seen.filter((r) => r.path.startsWith('/api/v1/nodes') && r.path !== '/api/v1/nodes/summary').map((r) => [r.query.sort, r.query.limit]))
      .toEqual([['cpu', 5], ['memory', 5], ['disk', 5]]);
    expect(within(await screen.findByRole('table', { name: 'Failed jobs' })).getByText('boom')).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Recent jobs' })).getByRole('link', { name: 'node.create' })).toBeTruthy();
    // Jobs per hour over the day, from the stats endpoint: the chart, and the share that failed.
    await waitFor(() => expect(document.querySelector('[data-jobs-failed]')?.textContent).toBe('3 of 10 finished jobs failed in the last day (30 %).'));
    expect(screen.getByRole('img', { name: /^Jobs per hour, last 24 hours: 2 points; latest Started 2, Failed 2, Succeeded 4$/ })).toBeTruthy();
    expect(String(seen.find((r) => r.path === '/api/v1/jobs/stats')?.query.hours)).toBe('24');
  });

  it('shows the busiest nodes by CPU, memory and disk from the sorted node list, with live bars', async () => {
    signIn('observer');
    const readings = (cpu: number, memory: number, disk: number) => ({ at: '2026-01-01T00:00:00Z', intervalSeconds: 15, cpu, memory, disk, diskMount: '/var', load: [1, 1, 1] });
    const node = (id: string, r: ReturnType<typeof readings> | null, health: string | null = null) => ({ id, name: `node-${id}`, readings: r, health });
    const byCpu = [node('a', readings(97, 20, 30), 'critical'), node('b', readings(55, 80, 10)), node('quiet', null)];
    const seen = fakeApi((req) => {
      if (req.path === '/api/v1/nodes') {
        const items = req.query.sort === 'cpu' ? byCpu : [node('b', readings(55, 80, 10)), node('a', readings(97, 20, 30))];
        return { status: 200, body: { items, page: 1, limit: 5, total: items.length } };
      }
      return { status: 200, body: { items: [], page: 1, limit: 10, total: 0, byState: stateCounts(0), byProvider: [] } };
    });
    const { client } = renderAt('/', <Route path="/" element={<DashboardPage />} />);
    const cpu = await screen.findByRole('table', { name: /Busiest by cpu/ });
    await waitFor(() => expect(within(cpu).getAllByRole('link', { name: /^node-/ }).map((a) => a.textContent)).toEqual(['node-a', 'node-b']));
    expect(within(cpu).getAllByRole('meter', { name: 'CPU' }).map((m) => Number(m.getAttribute('value')))).toEqual([97, 55]);
    expect(cpu.querySelector('[data-node-id="a"] [data-health]')?.getAttribute('data-health')).toBe('critical');
    expect(seen.filter((r) => r.path === '/api/v1/nodes').map((r) => [r.query.sort, r.query.order])).toEqual([['cpu', 'desc'], ['memory', 'desc'], ['disk', 'desc']]);

    // A readings event changes the bars in place, in every table the node is on, without a request.
    const requests = seen.length;
    act(() => applyEvent(client, { type: 'readings', nodes: [{ id: 'b', ...readings(12, 91, 10), load: [0, 0, 0] }] }));
    await waitFor(() => expect(within(cpu).getAllByRole('meter', { name: 'CPU' }).map((m) => Number(m.getAttribute('value')))).toEqual([97, 12]));
    const memory = screen.getByRole('table', { name: /Busiest by memory/ });
    expect(memory.querySelector('[data-node-id="b"] .usage-value')?.textContent).toBe('91 %');
    expect(seen.length).toBe(requests);
  });
});
