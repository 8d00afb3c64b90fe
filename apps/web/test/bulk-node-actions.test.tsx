import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NodesPage } from '../src/pages/nodes-page.js';
import { renderAt } from './render-at.js';
import { fakeApi, problem, signIn } from './fake-api.js';

const NODES = ['alpha', 'beta', 'gamma'].map((name, i) => ({
  id: `n${i + 1}`, name, providerId: 'p1', state: 'running', publicIps: [], privateIps: [], tags: [], createdAt: '2026-01-01T00:00:00Z',
}));

function setup() {
  return fakeApi((req) => {
    if (req.path === '/api/v1/nodes') return { status: 200, body: { items: NODES, page: 1, limit: 50, total: NODES.length } };
    if (req.path === '/api/v1/providers') return { status: 200, body: { items: [], page: 1, limit: 200, total: 0 } };
    if (req.method === 'DELETE' && req.path === '/api/v1/nodes/n3') return problem(409, 'gamma is already being destroyed', 'req-conflict');
    if (req.method === 'DELETE' || req.method === 'POST') {
      const id = req.path.split('/')[4]!;
      return { status: 202, requestId: `req-ok-${id}`, body: { id: `job-${id}`, type: req.method === 'DELETE' ? 'node.destroy' : 'node.reboot', state: 'queued' } };
    }
    return { status: 404, body: { status: 404, detail: 'no fake' } };
  });
}

const renderPage = () => renderAt('/nodes', <Route path="/nodes" element={<NodesPage />} />);

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('bulk actions on the nodes table', () => {
  it('destroys the selected nodes after a confirmation naming the count, one request each, and sums up', async () => {
    signIn('operator');
    const seen = setup();
    renderPage();
    fireEvent.click(await screen.findByLabelText('Select beta'));
    fireEvent.click(screen.getByLabelText('Select gamma'));
    fireEvent.click(screen.getByRole('button', { name: 'Destroy selected' }));
    expect(screen.getByRole('group', { name: 'Confirm Destroy selected' }).textContent).toContain('Destroy 2 nodes?');
    fireEvent.click(screen.getByRole('button', { name: 'Yes, destroy selected' }));

    const summary = await screen.findByRole('status', { name: 'Bulk action summary' });
    expect(seen.filter((r) => r.method === 'DELETE').map((r) => r.path).sort()).toEqual(['/api/v1/nodes/n2', '/api/v1/nodes/n3']);
    expect(summary.textContent).toContain('1 succeeded, 1 failed.');
    expect(within(summary).getByText(/^beta/).textContent).toContain('req-ok-n2');
    expect(within(summary).getByText(/^gamma/).textContent).toContain('gamma is already being destroyed (409) (request id req-conflict)');
    await waitFor(() => expect(screen.getByText('0 selected')).toBeTruthy());
  });

  it('selects the whole page at once for a reboot', async () => {
    signIn('operator');
    const seen = setup();
    renderPage();
    await screen.findByLabelText('Select alpha');
    fireEvent.click(screen.getByLabelText('Select all nodes on this page'));
    fireEvent.click(screen.getByRole('button', { name: 'Reboot selected' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, reboot selected' }));
    expect((await screen.findByRole('status', { name: 'Bulk action summary' })).textContent).toContain('3 succeeded, 0 failed.');
    expect(seen.filter((r) => r.method === 'POST').map((r) => r.path).sort()).toEqual(['/api/v1/nodes/n1/reboot', '/api/v1/nodes/n2/reboot', '/api/v1/nodes/n3/reboot']);
  });

  it('shows observers neither checkboxes, bulk buttons nor the create link', async () => {
    signIn('observer');
    setup();
    renderPage();
    await screen.findByRole('link', { name: 'alpha' });
    expect(screen.queryAllByRole('checkbox', { name: /^Select/ })).toEqual([]);
    expect(screen.queryByRole('button', { name: /selected/ })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Create nodes' })).toBeNull();
  });
});
