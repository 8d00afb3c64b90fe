import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProviderDetailPage } from '../src/pages/provider-detail-page.js';
import { renderAt } from './render-at.js';
import { fakeApi, signIn } from './fake-api.js';

const item = (id: string, name: string, data: Record<string, unknown> = {}, favourite = false) => ({ id, name, favourite, lastUsedAt: null, data });
const page = (items: unknown[]) => ({ items, page: 1, limit: 200, total: items.length });

function setup() {
  const images = [item('debian-12', 'Debian 12'), item('alpine', 'Alpine', {}, true)];
  return fakeApi((req) => {
    const favourite = req.path.match(/^\/api\/v1\/providers\/p1\/images\/([^/]+)\/favourite$/);
    if (favourite) {
      const image = images.find((i) => i.id === favourite[1])!;
      image.favourite = req.method === 'PUT';
      return { status: 200, body: image };
    }
    switch (`${req.method} ${req.path}`) {
      case 'GET /api/v1/providers/p1':
        return { status: 200, body: { id: 'p1', name: 'lab', type: 'dummy', status: 'ok', statusMessage: null, settings: {}, syncIntervalSeconds: 3600, nodeCount: 4, lastSyncAt: null } };
      case 'GET /api/v1/providers/p1/images':
        return { status: 200, body: page(images.filter((i) => i.name.toLowerCase().includes(String(req.query.search ?? '').toLowerCase()))) };
      case 'GET /api/v1/providers/p1/sizes':
        return { status: 200, body: page([item('small', 'Small', { cpus: 2, priceMonthly: 10 })]) };
      case 'GET /api/v1/providers/p1/locations':
        return { status: 200, body: page([item('lab-1', 'Lab one')]) };
      case 'POST /api/v1/providers/p1/sync':
        return { status: 202, body: { id: 'job-sync', type: 'provider.sync', state: 'queued' } };
      case 'DELETE /api/v1/providers/p1':
        return { status: 200, body: { id: 'p1' } };
      default:
        return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
    }
  });
}

const renderPage = () =>
  renderAt('/providers/p1', <><Route path="/providers/:id" element={<ProviderDetailPage />} /><Route path="/providers" element={<h1>Provider list</h1>} /></>);

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the provider detail page', () => {
  it('lists the catalog with prices, searches images and toggles favourites', async () => {
    signIn('operator');
    const seen = setup();
    renderPage();
    const sizes = await screen.findByRole('table', { name: 'Sizes' });
    await waitFor(() => expect(within(sizes).getByText('$10/mo')).toBeTruthy());
    expect(within(await screen.findByRole('table', { name: 'Locations' })).getByText('Lab one')).toBeTruthy();
    const debian = await screen.findByRole('button', { name: 'Favourite Debian 12' });
    expect(debian.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(debian);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Favourite Debian 12' }).getAttribute('aria-pressed')).toBe('true'));
    expect(seen.some((r) => r.method === 'PUT' && r.path === '/api/v1/providers/p1/images/debian-12/favourite')).toBe(true);
    fireEvent.change(screen.getByLabelText('Search images'), { target: { value: 'alp' } });
    await waitFor(() => expect(screen.queryByText('Debian 12')).toBeNull());
  });

  it('queues a sync, and deletes after a confirmation saying the nodes stay running', async () => {
    signIn('operator');
    const seen = setup();
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Sync now' }));
    expect((await screen.findByRole('status')).textContent).toContain('provider.sync queued');
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(screen.getByRole('group', { name: 'Confirm Delete' }).textContent).toContain('Its 4 nodes are left running and marked decommissioned.');
    fireEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));
    await screen.findByRole('heading', { name: 'Provider list' });
    expect(seen.some((r) => r.method === 'DELETE' && r.path === '/api/v1/providers/p1')).toBe(true);
  });

  it('shows observers the catalog without any button', async () => {
    signIn('observer');
    setup();
    renderPage();
    await screen.findByText('Debian 12');
    expect(screen.queryAllByRole('button')).toEqual([]);
  });
});
