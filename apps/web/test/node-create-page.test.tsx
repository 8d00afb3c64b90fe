import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NodeCreatePage } from '../src/pages/node-create-page.js';
import { NodesPage } from '../src/pages/nodes-page.js';
import { renderAt as renderRoutes } from './render-at.js';
import { fakeApi, problem, signIn, type FakeAnswer, type FakeRequest } from './fake-api.js';

const PROVIDER = { id: 'p1', name: 'lab', type: 'dummy', status: 'ok' };
const item = (id: string, name: string, data: Record<string, unknown> = {}, favourite = false) => ({ id, name, favourite, lastUsedAt: null, data });
const page = (items: unknown[]) => ({ items, page: 1, limit: 200, total: items.length });
const subnet = (cidr: string) => ({ extra: { subnets: [{ cidr }] } });
const NETWORKS = [
  item('net-a', 'web-net', { external: false, ...subnet('10.0.0.0/24') }),
  item('net-b', 'db-net', { external: false, ...subnet('10.0.1.0/24') }),
  item('ext', 'public', { external: true, ...subnet('203.0.113.0/24') }),
];
const IMAGES = [item('debian-12', 'Debian 12'), item('alpine', 'Alpine'), item('ubuntu', 'Ubuntu 24.04', {}, true)];

/**
 * A small API: the catalog of one provider, and nodes that exist once POSTed. Like the real one, it
 * answers a repeated Idempotency-Key with the first successful answer instead of creating again.
 */
function api(onCreate: (req: FakeRequest) => FakeAnswer | undefined = () => undefined) {
  const nodes: { id: string; name: string }[] = [];
  const answered = new Map<string, FakeAnswer>();
  return fakeApi((req) => {
    if (req.path === '/api/v1/providers') return { status: 200, body: page([PROVIDER]) };
    if (req.path === '/api/v1/providers/p1/networks') return { status: 200, body: page(NETWORKS) };
    if (req.path === '/api/v1/providers/p1/locations') return { status: 200, body: page([item('lab-1', 'Lab one')]) };
    if (req.path === '/api/v1/providers/p1/sizes') return { status: 200, body: page([item('small', 'Small', { cpus: 1, ramMb: 1024, priceHourly: 0.01, priceMonthly: 5 })]) };
    if (req.path === '/api/v1/providers/p1/images') {
      const search = String(req.query.search ?? '').toLowerCase();
      return { status: 200, body: page(IMAGES.filter((i) => i.name.toLowerCase().includes(search))) };
    }
    if (req.method === 'POST' && req.path === '/api/v1/nodes') {
      const key = req.headers['idempotency-key'];
      const first = key === undefined ? undefined : answered.get(key);
      if (first) return first;
      const refused = onCreate(req);
      if (refused) return refused;
      const id = `n${nodes.length + 1}`;
      nodes.push({ id, name: (req.body as { name: string }).name });
      const answer = { status: 202, body: { id: `job-${id}`, type: 'node.create', state: 'queued', targetId: id } };
      if (key !== undefined) answered.set(key, answer);
      return answer;
    }
    if (req.path === '/api/v1/nodes') {
      const items = nodes.map((n) => ({ ...n, providerId: 'p1', state: 'pending', publicIps: [], privateIps: [], tags: [], createdAt: '2026-01-01T00:00:00Z' }));
      return { status: 200, body: { items, page: 1, limit: 50, total: items.length } };
    }
    return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
  });
}

const renderAt = (path: string) =>
  renderRoutes(path, <><Route path="/nodes" element={<NodesPage />} /><Route path="/nodes/new" element={<NodeCreatePage />} /></>);

async function fillForm(name: string, count: string) {
  await screen.findByRole('option', { name: 'lab' });
  fireEvent.change(screen.getByLabelText('Provider *'), { target: { value: 'p1' } });
  await screen.findByRole('option', { name: 'Lab one' });
  fireEvent.change(screen.getByLabelText('Location *'), { target: { value: 'lab-1' } });
  fireEvent.change(screen.getByLabelText('Size *'), { target: { value: 'small' } });
  await screen.findByRole('option', { name: /Ubuntu/ });
  fireEvent.change(screen.getByLabelText('Image *'), { target: { value: 'debian-12' } });
  fireEvent.change(screen.getByLabelText('Name *'), { target: { value: name } });
  fireEvent.change(screen.getByLabelText('Count'), { target: { value: count } });
}

beforeEach(() => signIn('operator'));
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the create-nodes form', () => {
  it('offers the provider catalog with prices and favourite images first, and searches images', async () => {
    const seen = api();
    renderAt('/nodes/new');
    await fillForm('web', '1');
    expect(screen.getByRole('option', { name: /^Small/ }).textContent).toBe('Small — 1 vCPU, 1 GB RAM — $0.01/h, $5/mo');
    const images = within(screen.getByLabelText('Image *')).getAllByRole('option').map((o) => o.textContent);
    expect(images).toEqual(['choose an image', '★ Ubuntu 24.04', 'Alpine', 'Debian 12']);
    fireEvent.change(screen.getByLabelText('Search images'), { target: { value: 'alp' } });
    await waitFor(() => expect(within(screen.getByLabelText('Image *')).queryByRole('option', { name: /Ubuntu/ })).toBeNull());
    expect(seen.some((r) => r.path === '/api/v1/providers/p1/images' && r.query.search === 'alp')).toBe(true);
  });

  it('sends one POST per node named name-1..name-N and lands on the list showing them', async () => {
    const seen = api();
    renderAt('/nodes/new');
    await fillForm('web', '3');
    fireEvent.change(screen.getByLabelText('SSH public key'), { target: { value: 'ssh-ed25519 AAAAC3Nza op@lab' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create 3 nodes' }));
    await screen.findByRole('heading', { name: /Nodes/ });
    const posts = seen.filter((r) => r.method === 'POST').map((r) => r.body);
    expect(posts).toEqual(['web-1', 'web-2', 'web-3'].map((name) => ({ providerId: 'p1', locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12', name, sshPublicKey: 'ssh-ed25519 AAAAC3Nza op@lab' })));
    for (const name of ['web-1', 'web-2', 'web-3']) {
      const row = (await screen.findByRole('link', { name })).closest('tr')!;
      expect(row.querySelector('.badge')?.getAttribute('data-state')).toBe('pending');
    }
  });

  it('shows problem+json field errors at their fields and stays on the form', async () => {
    api(() => problem(422, 'body/name must match pattern', 'req-7', [{ field: 'body.name', message: 'must match pattern "^[A-Za-z0-9][A-Za-z0-9._-]*$"' }]));
    renderAt('/nodes/new');
    await fillForm('-bad', '1');
    fireEvent.click(screen.getByRole('button', { name: 'Create node' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('req-7'));
    const name = screen.getByLabelText('Name *');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('node-name-error')?.textContent).toContain('must match pattern');
    expect(screen.getByRole('heading', { name: 'Create nodes' })).toBeTruthy();
  });

  it('makes each node once when the form is submitted twice at once (a double click)', async () => {
    const seen = api();
    renderAt('/nodes/new');
    await fillForm('web', '2');
    const form = screen.getByRole('form', { name: 'Create nodes' });
    fireEvent.submit(form);
    fireEvent.submit(form);
    await screen.findByRole('heading', { name: /Nodes/ });
    const posts = seen.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2); // the second submit came while the first batch was pending
    const keys = posts.map((r) => r.headers['idempotency-key']!);
    expect(new Set(keys).size).toBe(2);
    expect(keys.every((k) => /^[0-9a-f]{32}\.[12]$/.test(k))).toBe(true);
    for (const name of ['web-1', 'web-2']) expect(await screen.findAllByRole('link', { name })).toHaveLength(1);
  });

  it('resends a failed batch with the same keys, so nodes made before the failure are not made again', async () => {
    let refuse = true;
    const seen = api((req) => {
      if (refuse && (req.body as { name: string }).name === 'db-2') return problem(503, 'provider unavailable', 'req-9');
      return undefined;
    });
    renderAt('/nodes/new');
    await fillForm('db', '2');
    fireEvent.click(screen.getByRole('button', { name: 'Create 2 nodes' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('req-9'));
    const firstKeys = seen.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key']);

    // Edited and edited back: the same values are the same batch.
    fireEvent.change(screen.getByLabelText('Name *'), { target: { value: 'dbx' } });
    fireEvent.change(screen.getByLabelText('Name *'), { target: { value: 'db' } });
    refuse = false;
    fireEvent.click(screen.getByRole('button', { name: 'Create 2 nodes' }));
    await screen.findByRole('heading', { name: /Nodes/ });
    const keys = seen.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key']);
    expect(keys).toEqual([...firstKeys, ...firstKeys]);
    for (const name of ['db-1', 'db-2']) expect(await screen.findAllByRole('link', { name })).toHaveLength(1);
  });

  it('gives changed values a new key', async () => {
    const seen = api((req) => ((req.body as { name: string }).name === 'bad' ? problem(422, 'refused', 'req-8') : undefined));
    renderAt('/nodes/new');
    await fillForm('bad', '1');
    fireEvent.click(screen.getByRole('button', { name: 'Create node' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('req-8'));
    fireEvent.change(screen.getByLabelText('Name *'), { target: { value: 'good' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create node' }));
    await screen.findByRole('heading', { name: /Nodes/ });
    const keys = seen.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('lists the networks to attach (not the external one) and sends the networks and floating IP chosen', async () => {
    const seen = api();
    renderAt('/nodes/new');
    await fillForm('web', '1');
    const networks = await screen.findByLabelText('Networks');
    expect(within(networks).getAllByRole('option').map((o) => o.textContent)).toEqual(['web-net — 10.0.0.0/24', 'db-net — 10.0.1.0/24']);
    for (const option of within(networks).getAllByRole('option') as HTMLOptionElement[]) option.selected = true;
    fireEvent.change(networks);
    fireEvent.change(screen.getByLabelText('Floating IP'), { target: { value: 'yes' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create node' }));
    await waitFor(() => expect(seen.filter((r) => r.method === 'POST')).toHaveLength(1));
    expect(seen.find((r) => r.method === 'POST')!.body).toMatchObject({ networkIds: ['net-a', 'net-b'], floatingIp: true });
  });

  it('sends none for a node without a network', async () => {
    const seen = api();
    renderAt('/nodes/new');
    await fillForm('solo', '1');
    fireEvent.click(await screen.findByLabelText('No network'));
    expect((screen.getByLabelText('Networks') as HTMLSelectElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Create node' }));
    await waitFor(() => expect(seen.filter((r) => r.method === 'POST')).toHaveLength(1));
    const bodies = () => seen.filter((r) => r.method === 'POST').map((r) => r.body as Record<string, unknown>);
    expect(bodies()[0]!.networkIds).toBe('none');
    expect(bodies()[0]).not.toHaveProperty('floatingIp');
  });
});
