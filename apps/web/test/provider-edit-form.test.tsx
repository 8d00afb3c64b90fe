import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProviderDetailPage } from '../src/pages/provider-detail-page.js';
import { renderAt } from './render-at.js';
import { fakeApi, problem, signIn } from './fake-api.js';

const TYPE = {
  kind: 'dummy',
  displayName: 'Dummy',
  description: 'In-memory provider',
  capabilities: [],
  credentialSchema: { type: 'object', required: ['apiKey'], properties: { apiKey: { type: 'string', writeOnly: true, title: 'API key' } } },
  settingsSchema: { type: 'object', properties: { latencyMs: { type: 'integer', title: 'Latency (ms)' }, apiUrl: { type: 'string', title: 'API URL' } } },
  endpointSettings: ['apiUrl'],
};
const empty = { items: [], page: 1, limit: 200, total: 0 };

/** One provider that PATCH changes; credentials starting with "bad" are refused like the dummy driver does. */
function setup() {
  const provider = { id: 'p1', name: 'lab', type: 'dummy', status: 'ok', statusMessage: null, settings: { latencyMs: 5 }, syncIntervalSeconds: 3600, nodeCount: 0, lastSyncAt: null };
  return fakeApi((req) => {
    if (req.path === '/api/v1/provider-types') return { status: 200, body: { items: [TYPE] } };
    if (req.method === 'GET' && req.path === '/api/v1/providers/p1') return { status: 200, body: provider };
    if (req.method === 'PATCH' && req.path === '/api/v1/providers/p1') {
      const body = req.body as { name?: string; credentials?: { apiKey: string }; settings?: Record<string, unknown>; syncIntervalSeconds?: number };
      if (body.settings && 'apiUrl' in body.settings && body.settings.apiUrl !== (provider.settings as { apiUrl?: string }).apiUrl && !body.credentials) {
        return problem(422, 'Changing settings.apiUrl changes where Dummy credentials are sent: send the credentials again in the same request', 'req-moved', [
          { field: 'body.credentials', message: 'are required when settings.apiUrl changes' },
        ]);
      }
      if (body.credentials?.apiKey.startsWith('bad')) {
        return problem(422, 'Dummy rejected the credentials: keys beginning with "bad" are refused', 'req-422', [{ field: 'body.credentials', message: 'keys beginning with "bad" are refused' }]);
      }
      Object.assign(provider, body.name ? { name: body.name } : {}, body.settings ? { settings: body.settings } : {}, body.syncIntervalSeconds ? { syncIntervalSeconds: body.syncIntervalSeconds } : {});
      return { status: 200, body: provider };
    }
    if (req.path.startsWith('/api/v1/providers/p1/')) return { status: 200, body: empty };
    return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
  });
}

const renderPage = () => renderAt('/providers/p1', <Route path="/providers/:id" element={<ProviderDetailPage />} />);
const patches = (seen: ReturnType<typeof setup>) => seen.filter((r) => r.method === 'PATCH').map((r) => r.body);

async function openEdit() {
  fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
  return screen.getByRole('form', { name: 'Edit lab' });
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the provider edit form', () => {
  it('keeps the stored credentials when their inputs stay empty and sends only what changed', async () => {
    signIn('operator');
    const seen = setup();
    renderPage();
    await openEdit();
    const apiKey = screen.getByLabelText('API key');
    expect(apiKey).toHaveProperty('value', '');
    expect(apiKey).toHaveProperty('required', false);
    expect(screen.getByLabelText('Latency (ms)')).toHaveProperty('value', '5');
    fireEvent.change(screen.getByLabelText('Name *'), { target: { value: 'lab-2' } });
    fireEvent.change(screen.getByLabelText('Latency (ms)'), { target: { value: '9' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    expect((await screen.findByRole('status')).textContent).toBe('Saved lab-2.');
    expect(patches(seen)).toEqual([{ name: 'lab-2', settings: { latencyMs: 9 } }]);
    expect(screen.queryByRole('form', { name: /Edit/ })).toBeNull();
    // The detail cache was invalidated: the page shows the renamed provider.
    await screen.findByRole('heading', { name: /lab-2/ });
  });

  it('sends new credentials, and shows the provider refusing them at the form', async () => {
    signIn('admin');
    const seen = setup();
    renderPage();
    await openEdit();
    fireEvent.change(screen.getByLabelText('API key'), { target: { value: 'bad-key' } });
    // Once replacing, the whole set is needed: the required marks come back.
    expect(screen.getByLabelText('API key *')).toHaveProperty('required', true);
    fireEvent.change(screen.getByLabelText('Sync interval (seconds) *'), { target: { value: '600' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('req-422'));
    expect(document.getElementById('credentials-error')?.textContent).toBe('keys beginning with "bad" are refused');
    expect(patches(seen)).toEqual([{ credentials: { apiKey: 'bad-key' }, syncIntervalSeconds: 600 }]);
    expect(screen.getByRole('form', { name: 'Edit lab' })).toBeTruthy();

    fireEvent.change(screen.getByLabelText('API key *'), { target: { value: 'good-key' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect((await screen.findByRole('status')).textContent).toBe('Saved lab: new credentials checked and stored.');
    expect(patches(seen)[1]).toEqual({ credentials: { apiKey: 'good-key' }, syncIntervalSeconds: 600 });
    await screen.findByText('every 600 s');
  });

  it('says an address change needs the credentials again, and shows the API refusing one without them', async () => {
    signIn('operator');
    const seen = setup();
    renderPage();
    await openEdit();
    expect(document.getElementById('credentials-help')?.textContent).toContain('Changing API URL needs them again');
    fireEvent.change(screen.getByLabelText('API URL'), { target: { value: 'http://127.0.0.1:9/elsewhere' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('req-moved'));
    expect(document.getElementById('credentials-error')?.textContent).toBe('are required when settings.apiUrl changes');
    fireEvent.change(screen.getByLabelText('API key'), { target: { value: 'good-key' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect((await screen.findByRole('status')).textContent).toBe('Saved lab: new credentials checked and stored.');
    expect(patches(seen)).toEqual([
      { settings: { latencyMs: 5, apiUrl: 'http://127.0.0.1:9/elsewhere' } },
      { credentials: { apiKey: 'good-key' }, settings: { latencyMs: 5, apiUrl: 'http://127.0.0.1:9/elsewhere' } },
    ]);
  });

  it('sends nothing when no field changed', async () => {
    signIn('operator');
    const seen = setup();
    renderPage();
    await openEdit();
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect((await screen.findByRole('status')).textContent).toContain('Nothing to save');
    expect(patches(seen)).toEqual([]);
  });

  it('is not offered to observers', async () => {
    signIn('observer');
    setup();
    renderPage();
    await screen.findByText('every 3600 s');
    await screen.findByText('Dummy'); // the type's schemas are loaded: Edit would show by now
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.queryByLabelText(/API key/)).toBeNull();
  });
});
