import { cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hostKeyChange } from '../src/api/dedicated-queries.js';
import { NodeDetailPage } from '../src/pages/node-detail-page.js';
import { fakeApi, signIn, type FakeRequest } from './fake-api.js';
import { renderAt } from './render-at.js';

const PINNED = `SHA256:${'A'.repeat(43)}`;
const PRESENTED = `SHA256:${'b'.repeat(42)}Q`;
const MISMATCH = `SSH host key of node n1 (10.0.0.5:22) changed: pinned ${PINNED}, server presented ${PRESENTED}. Nothing was sent.`;

const job = (id: string, type: string, state: string, extra: Record<string, unknown> = {}) => ({
  id, type, state, targetType: 'node', targetId: 'n1', providerId: 'p1', progress: 0, attempts: 1, maxAttempts: 1, result: null, error: null,
  createdBy: null, createdAt: '2026-01-01T00:00:00Z', startedAt: null, finishedAt: null, updatedAt: '2026-01-01T00:00:00Z', ...extra,
});

function setup(options: { mismatch?: boolean } = {}) {
  const node = {
    id: 'n1', providerId: 'p1', providerNodeId: 'n1', name: 'metal-1', state: 'error', publicIps: ['10.0.0.5'], privateIps: [], imageId: null, sizeId: null, locationId: null,
    extra: { address: '10.0.0.5', hostKeyFingerprint: PINNED, bmc: { type: 'ipmi', endpoint: '10.0.1.5:623' }, power: 'on' }, tags: [], facts: null, createdBy: null,
    createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', destroyedBy: null, destroyedAt: null, decommissionedAt: null, configMode: null, agent: null,
  };
  const jobs = options.mismatch ? [job('jf', 'node.facts', 'failed', { error: MISMATCH })] : [];
  const finished = new Map<string, ReturnType<typeof job>>();
  const seen = fakeApi((req: FakeRequest) => {
    if (req.method === 'GET' && req.path === '/api/v1/nodes/n1') return { status: 200, body: structuredClone(node) };
    if (req.path === '/api/v1/jobs') return { status: 200, body: { items: jobs, page: 1, limit: 20, total: jobs.length } };
    if (req.method === 'POST' && req.path === '/api/v1/nodes/n1/host-key') {
      node.extra.hostKeyFingerprint = (req.body as { fingerprint: string }).fingerprint;
      return { status: 200, body: { nodeId: 'n1', hostKeyFingerprint: node.extra.hostKeyFingerprint } };
    }
    if (req.method === 'POST' && req.path === '/api/v1/nodes/n1/sensors') {
      finished.set('js', job('js', 'node.sensors', 'succeeded', { result: { sensors: [{ name: 'CPU Temp', value: 41, unit: 'degrees C', status: 'ok' }, { name: 'FAN1', value: null, unit: null, status: 'critical' }] } }));
      return { status: 202, body: job('js', 'node.sensors', 'queued') };
    }
    if (req.method === 'POST' && req.path === '/api/v1/nodes/n1/boot-device') {
      finished.set('jb', job('jb', 'node.boot-device', 'succeeded'));
      return { status: 202, body: job('jb', 'node.boot-device', 'queued') };
    }
    const one = /^\/api\/v1\/jobs\/(\w+)$/.exec(req.path);
    if (one && finished.has(one[1]!)) return { status: 200, body: finished.get(one[1]!) };
    if (req.path === '/api/v1/providers/p1') return { status: 200, body: { id: 'p1', name: 'rack', type: 'dedicated', status: 'ok' } };
    if (req.path === '/api/v1/provider-types') return { status: 200, body: { items: [] } };
    if (req.path === '/api/v1/server-roles') return { status: 200, body: { items: [], page: 1, limit: 200, total: 0 } };
    return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
  });
  return { node, seen };
}

const renderPage = () => renderAt('/nodes/n1', <Route path="/nodes/:id" element={<NodeDetailPage />} />);

// Wide margins for a busy machine: names and jobs arrive through several requests.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("a registered server's section", () => {
  it('reads the fingerprints from the error of a job that met a changed key', () => {
    expect(hostKeyChange(MISMATCH)).toEqual({ pinned: PINNED, presented: PRESENTED });
    expect(hostKeyChange('SSH connection to 10.0.0.5:22 failed: ECONNREFUSED')).toBeNull();
  });

  it('shows pinned vs presented host key, and re-pins the presented one only after the operator says they checked it', async () => {
    signIn('operator');
    const { seen } = setup({ mismatch: true });
    renderPage();
    const change = await screen.findByRole('region', { name: 'Host key change' });
    expect(within(change).getByText(PINNED).getAttribute('data-fingerprint')).toBe('pinned');
    expect(within(change).getByText(PRESENTED).getAttribute('data-fingerprint')).toBe('presented');
    fireEvent.click(within(change).getByRole('button', { name: 'Accept the new key…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Pin the presented host key' });
    const pin = within(dialog).getByRole('button', { name: /^Pin SHA256/ });
    expect((pin as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(dialog).getByLabelText("I checked the fingerprint on the server's console"));
    fireEvent.click(pin);
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Host key change' })).toBeNull());
    expect(seen.filter((r) => r.path === '/api/v1/nodes/n1/host-key').map((r) => r.body)).toEqual([{ fingerprint: PRESENTED }]);
    expect(document.querySelector('[data-fingerprint="current"]')!.textContent).toBe(PRESENTED);
  });

  it("reads the BMC's sensors into a table and sets the next boot device, each a job followed to its end", async () => {
    signIn('operator');
    const { seen } = setup();
    renderPage();
    const section = await screen.findByRole('region', { name: 'Server' });
    expect(within(section).getByText('BMC: IPMI at 10.0.1.5:623')).toBeTruthy();
    expect(within(section).queryByRole('region', { name: 'Host key change' })).toBeNull();
    fireEvent.click(within(section).getByRole('button', { name: 'Read sensors' }));
    const table = await within(section).findByRole('table', { name: 'Sensors' });
    expect(within(table).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual(['CPU Temp41 degrees Cok', 'FAN1—critical']);
    fireEvent.click(within(section).getByRole('button', { name: 'Set boot device' }));
    await within(section).findByText('The next boot uses the chosen device.');
    expect(seen.filter((r) => r.path === '/api/v1/nodes/n1/boot-device').map((r) => r.body)).toEqual([{ device: 'pxe' }]);
  });

  it('shows observers the pinned key and the BMC, without controls', async () => {
    signIn('observer');
    setup({ mismatch: true });
    renderPage();
    const section = await screen.findByRole('region', { name: 'Server' });
    expect(within(section).queryByRole('button', { name: 'Read sensors' })).toBeNull();
    expect(within(section).getAllByText(PINNED).map((e) => e.getAttribute('data-fingerprint'))).toEqual(['current', 'pinned']);
    expect(within(section).queryByRole('button', { name: 'Accept the new key…' })).toBeNull();
  });
});
