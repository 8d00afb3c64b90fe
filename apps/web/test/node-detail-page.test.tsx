import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NodeDetailPage } from '../src/pages/node-detail-page.js';
import { renderAt } from './render-at.js';
import { fakeApi, problem, signIn } from './fake-api.js';

const GIB = 2 ** 30;
const FACTS = {
  gatheredAt: '2026-01-02T03:04:05Z',
  kernel: { name: 'Linux', release: '6.1.0-18-amd64' },
  cpu: { model: 'Xeon E-2236', count: 12 },
  memory: { totalBytes: 32 * GIB, availableBytes: 24 * GIB },
  disks: [{ name: 'nvme0n1', sizeBytes: 512 * GIB, rotational: false }, { name: 'sda', sizeBytes: 4096 * GIB, rotational: true }],
  uptimeSeconds: 90_061,
};

/** One node; PATCH applies like the API does, tags with whitespace are refused like its schema does. */
function setup(facts: Record<string, unknown> | null = FACTS) {
  const node = {
    id: 'n1', providerId: 'p1', providerNodeId: 'srv-1', name: 'web', state: 'running', publicIps: ['203.0.113.7'], privateIps: [],
    imageId: null, sizeId: null, locationId: null, extra: { rack: 'B4', bmc: { kind: 'ipmi', host: '10.0.0.9' } }, tags: ['web', 'prod'], facts,
    createdBy: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', destroyedBy: null, destroyedAt: null, decommissionedAt: null,
  };
  return fakeApi((req) => {
    if (req.method === 'GET' && req.path === '/api/v1/nodes/n1') return { status: 200, body: node };
    if (req.method === 'PATCH' && req.path === '/api/v1/nodes/n1') {
      const body = req.body as { name?: string; tags?: string[] };
      const bad = (body.tags ?? []).findIndex((t) => /[\s,]/.test(t));
      if (bad >= 0) return problem(400, `body.tags.${bad} must match pattern`, 'req-tags', [{ field: `body.tags.${bad}`, message: 'must match pattern "^[^\\s,]+$"' }]);
      Object.assign(node, body);
      return { status: 200, body: node };
    }
    if (req.path === '/api/v1/providers/p1') return { status: 200, body: { id: 'p1', name: 'rack', type: 'dedicated', status: 'ok' } };
    if (req.path === '/api/v1/provider-types') return { status: 200, body: { items: [] } };
    if (req.path === '/api/v1/jobs') return { status: 200, body: { items: [], page: 1, limit: 20, total: 0 } };
    return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
  });
}

const renderPage = () => renderAt('/nodes/n1', <Route path="/nodes/:id" element={<NodeDetailPage />} />);
const patches = (seen: ReturnType<typeof setup>) => seen.filter((r) => r.method === 'PATCH').map((r) => r.body);
const tagsShown = () => within(screen.getAllByRole('list', { name: 'Tags' })[0]!).getAllByRole('listitem').map((li) => li.firstChild?.textContent?.trim());

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the node tags editor', () => {
  it('removes and adds tags, sending the whole new list, with feedback', async () => {
    signIn('operator');
    const seen = setup();
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Remove tag prod' }));
    expect((await screen.findByRole('status')).textContent).toBe('Tag prod removed.');
    expect(tagsShown()).toEqual(['web']);
    fireEvent.change(screen.getByLabelText('New tag'), { target: { value: ' db ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add tag' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Tag db added.'));
    expect(tagsShown()).toEqual(['web', 'db']);
    expect(screen.getByLabelText('New tag')).toHaveProperty('value', '');
    expect(patches(seen)).toEqual([{ tags: ['web'] }, { tags: ['web', 'db'] }]);
  });

  it('shows the API refusing a tag at the field and keeps the tags as they were', async () => {
    signIn('operator');
    setup();
    renderPage();
    fireEvent.change(await screen.findByLabelText('New tag'), { target: { value: 'has space' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add tag' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('req-tags'));
    const input = screen.getByLabelText('New tag');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(input.getAttribute('aria-describedby')!)?.textContent).toBe('must match pattern "^[^\\s,]+$"');
    expect(input).toHaveProperty('value', 'has space');
    expect(tagsShown()).toEqual(['web', 'prod']);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('renames the node', async () => {
    signIn('operator');
    const seen = setup();
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Rename' }));
    fireEvent.change(screen.getByLabelText('New name'), { target: { value: 'web-2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save name' }));
    expect((await screen.findByRole('status')).textContent).toContain('Renamed to web-2.');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('web-2');
    expect(patches(seen)).toEqual([{ name: 'web-2' }]);
  });

  it('shows observers the tags read-only, without rename', async () => {
    signIn('observer');
    const seen = setup();
    renderPage();
    await screen.findByRole('heading', { name: /web/ });
    expect(tagsShown()).toEqual(['web', 'prod']);
    expect(screen.queryByLabelText('New tag')).toBeNull();
    expect(screen.queryByRole('button', { name: /Remove tag|Rename/ })).toBeNull();
    expect(patches(seen)).toEqual([]);
  });
});

describe('the node facts', () => {
  it('lists facts readably and folds provider details away', async () => {
    signIn('observer');
    setup();
    renderPage();
    const facts = await screen.findByRole('region', { name: 'Facts' });
    const value = (term: string) => within(facts).getByText(term, { selector: 'dt' }).nextElementSibling!;
    expect(value('Kernel').textContent).toBe('name Linux, release 6.1.0-18-amd64');
    expect(value('CPU').textContent).toBe('model Xeon E-2236, count 12');
    expect(value('Memory').textContent).toBe('total 32 GiB, available 24 GiB');
    expect(value('Uptime').textContent).toBe('1 d 1 h 1 min');
    expect(value('Gathered').textContent).toBe(new Date(FACTS.gatheredAt).toLocaleString());
    expect(within(value('Disks') as HTMLElement).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'name nvme0n1, size 512 GiB, rotational no',
      'name sda, size 4 TiB, rotational yes',
    ]);
    const extra = screen.getByText('Provider details').closest('details')!;
    expect(extra.open).toBe(false);
    expect(within(extra).getByText('BMC').nextElementSibling?.textContent).toBe('kind ipmi, host 10.0.0.9');
    expect(within(extra).getByText('Rack').nextElementSibling?.textContent).toBe('B4');
  });

  it('says when no facts were gathered yet', async () => {
    signIn('observer');
    setup(null);
    renderPage();
    const facts = await screen.findByRole('region', { name: 'Facts' });
    expect(facts.textContent).toContain('No facts yet.');
    expect(within(facts).queryByRole('term')).toBeNull();
  });
});
