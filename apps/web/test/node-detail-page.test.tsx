import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NodeDetailPage } from '../src/pages/node-detail-page.js';
import { renderAt } from './render-at.js';
import { fakeApi, problem, signIn, type FakeAnswer, type FakeRequest } from './fake-api.js';

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
function setup(facts: Record<string, unknown> | null = FACTS, extra: (req: FakeRequest) => FakeAnswer | undefined = () => undefined) {
  const node = {
    id: 'n1', providerId: 'p1', providerNodeId: 'srv-1', name: 'web', state: 'running', publicIps: ['203.0.113.7'], privateIps: [],
    imageId: null, sizeId: null, locationId: null, extra: { rack: 'B4', bmc: { kind: 'ipmi', host: '10.0.0.9' } }, tags: ['web', 'prod'], facts,
    createdBy: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', destroyedBy: null, destroyedAt: null, decommissionedAt: null,
    configMode: null, agent: null,
  };
  return fakeApi((req) => {
    const answer = extra(req);
    if (answer) return answer;
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
    if (req.path === '/api/v1/server-roles') return { status: 200, body: { items: [], page: 1, limit: 200, total: 0 } };
    if (req.path === '/api/v1/nodes/n1/checks') return { status: 200, body: { nodeId: 'n1', health: null, healthSince: null, items: [] } };
    if (req.path === '/api/v1/nodes/n1/check-history') return { status: 200, body: { items: [], page: 1, limit: 20, total: 0 } };
    if (req.path === '/api/v1/nodes/n1/metrics/series') return { status: 200, body: { names: [] } };
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
    expect(value('Kernel').textContent).toBe('Linux 6.1.0-18-amd64');
    expect(value('Model').textContent).toBe('Xeon E-2236');
    expect(value('CPUs').textContent).toBe('12');
    expect(value('Total').textContent).toBe('32 GiB');
    expect(value('Available').textContent).toBe('24 GiB');
    expect(value('Uptime').textContent).toBe('1 d 1 h 1 min');
    expect(value('Gathered').textContent).toBe(new Date(FACTS.gatheredAt).toLocaleString());
    const disks = within(facts).getByRole('table', { name: 'Disks' });
    expect(within(disks).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual(['nvme0n1512 GiBsolid state—', 'sda4 TiBrotational—']);
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

describe('the node health, checks and graphs', () => {
  const RESULT = {
    state: 'warning', output: 'DISK WARNING - free space: / 3 GB (8%)', longOutput: 'inode use fine', durationMs: 41,
    perfdata: [{ label: '/', value: 37, uom: 'GB', warn: '36', crit: '38', min: 0, max: 40 }, { label: 'inodes', value: null, uom: '', warn: null, crit: null, min: null, max: null }],
    checkedAt: '2026-01-02T00:00:00Z', receivedAt: '2026-01-02T00:00:01Z', stateSince: '2026-01-01T12:00:00Z',
  };
  const HOUR = 3600_000;

  it('shows health, each check with its latest result and performance data, the state history, and graphs per range', async () => {
    signIn('observer');
    const seen = setup(FACTS, (req) => {
      if (req.path === '/api/v1/nodes/n1/checks') {
        return { status: 200, body: { nodeId: 'n1', health: 'warning', healthSince: '2026-01-01T12:00:00Z', items: [
          { checkId: 'c1', name: 'root disk', intervalSeconds: 60, result: RESULT },
          { checkId: 'c2', name: 'ntp', intervalSeconds: 300, result: null },
        ] } };
      }
      if (req.path === '/api/v1/nodes/n1/check-history') {
        return { status: 200, body: { items: [{ id: '2', checkId: 'c1', name: 'root disk', state: 'warning', previousState: 'ok', output: 'DISK WARNING', at: '2026-01-01T12:00:00Z' }], page: 1, limit: 20, total: 1 } };
      }
      if (req.path === '/api/v1/nodes/n1/metrics/series') return { status: 200, body: { names: ['cpu.total', 'load.1', 'net.eth0.rx_bps', 'fs./.used_pct'] } };
      if (req.path === '/api/v1/nodes/n1/metrics') {
        const names = req.query.name as string[];
        return { status: 200, body: { nodeId: 'n1', from: req.query.from, to: req.query.to, tier: 'raw', stepSeconds: 15, series: names.map((name) => ({ name, t: [1767225600000, 1767225615000], v: [10, 20] })) } };
      }
      return undefined;
    });
    renderPage();
    const checks = await screen.findByRole('table', { name: 'Checks' });
    const disk = within(checks).getByRole('cell', { name: 'root disk' }).closest('tr')!;
    expect(disk.querySelector('[data-state]')?.textContent).toBe('warning');
    expect(disk.textContent).toContain('DISK WARNING - free space: / 3 GB (8%)');
    expect(disk.textContent).toContain('inode use fine');
    expect(within(disk).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['/ = 37GB (warn 36, crit 38)', 'inodes = U']);
    expect(within(checks).getByRole('cell', { name: 'ntp' }).closest('tr')!.textContent).toContain('pending');
    expect(screen.getByRole('heading', { name: /^Checks/ }).querySelector('[data-health]')?.textContent).toBe('warning');
    const history = await screen.findByRole('table', { name: 'State changes' });
    expect(history.querySelector('tbody tr')!.textContent).toContain('ok → warning');

    // One request per chart, names grouped by what they measure; the default range is the last hour.
    await waitFor(() => expect(seen.filter((r) => r.path === '/api/v1/nodes/n1/metrics').map((r) => r.query.name)).toEqual([['cpu.total'], ['load.1'], ['fs./.used_pct'], ['net.eth0.rx_bps']]));
    const span = (r: FakeRequest) => Date.parse(r.query.to as string) - Date.parse(r.query.from as string);
    expect(seen.filter((r) => r.path === '/api/v1/nodes/n1/metrics').map(span)).toEqual([HOUR, HOUR, HOUR, HOUR]);
    const cpu = await screen.findByRole('img', { name: /^CPU: 2 points; latest total 20 %/ });
    expect(cpu).toBeTruthy();
    expect(screen.getByRole('img', { name: /^Network eth0: 2 points; latest received 20 B\/s/ })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: '30 d' }));
    expect(screen.getByRole('button', { name: '30 d' }).getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(seen.filter((r) => r.path === '/api/v1/nodes/n1/metrics').map(span).slice(4)).toEqual([30 * 24 * HOUR, 30 * 24 * HOUR, 30 * 24 * HOUR, 30 * 24 * HOUR]));
  });
});
