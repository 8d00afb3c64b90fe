import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BalancersPage } from '../src/pages/balancers-page.js';
import { ConstellationDetailPage } from '../src/pages/constellation-detail-page.js';
import { ConstellationsPage } from '../src/pages/constellations-page.js';
import { renderAt } from './render-at.js';
import { fakeApi, problem, signIn, type FakeRequest } from './fake-api.js';

const at = new Date().toISOString();
const member = (key: string, nodeId: string, health: string | null) => ({ key, nodeId, nodeName: `shop-${key}`, state: 'running', health, privateIps: ['10.0.0.5'], publicIps: [], configured: true });
const shop = {
  id: 'c1', name: 'shop', latestVersion: 2, targetVersion: 1, appliedVersion: 1, createdBy: null, createdAt: at, updatedAt: at, destroyedAt: null, lastJobId: null,
  spec: { tiers: [{ name: 'db', serverRole: 'pg', count: 1 }, { name: 'web', serverRole: 'www', count: 2, dependsOn: ['db'], balancer: { name: 'web-lb', port: 80, protocol: 'http' } }] },
  tiers: [
    { name: 'db', count: 1, members: [member('db-1', 'n1', 'ok')], balancer: null },
    { name: 'web', count: 2, members: [member('web-1', 'n2', 'critical')], balancer: { id: 'b1', name: 'web-lb', state: 'active', address: '203.0.113.9', port: 80, protocol: 'http', members: [{ key: 'web-1', nodeId: 'n2', state: 'unhealthy' }] } },
  ],
};
const plan = {
  constellationId: 'c1', version: 2,
  steps: [{ tier: 'web', key: 'web-2', ordinal: 2, action: 'create', nodeId: null, reasons: ['count is 2'] }, { tier: 'db', key: 'db-1', ordinal: 1, action: 'configure', nodeId: 'n1', reasons: ['not configured by this constellation yet'] }],
  summary: { create: 1, configure: 1, replace: 0, destroy: 0, attach: 0, unchanged: 1 },
  balancers: [
    { tier: 'web', name: 'web-lb', port: 80, protocol: 'http', action: 'keep', changes: [], balancerId: 'b1', members: ['web-1', 'web-2'], attach: ['web-2'], detach: [] },
    { tier: 'api', name: 'api-lb', port: 8080, protocol: 'tcp', action: 'update', changes: ['health check the default → tcp connect every 5 s (timeout 2 s, 2 up, 2 down)'], balancerId: 'b2', members: ['api-1'], attach: [], detach: [] },
  ],
};

const policy = { gracePeriodSeconds: 120, maxUnavailable: 1, remediation: ['reboot', 'replace'], restartService: null, settleSeconds: 60, backoffSeconds: 30, breakerFailures: 3, breakerWindowSeconds: 3600 };
const guarantee = (breaker: 'open' | 'closed') => ({
  constellationId: 'c1',
  tiers: [{
    tier: 'web', policy, breaker, trippedAt: breaker === 'open' ? at : null, trippedReason: breaker === 'open' ? '3 failed remediation(s) within 3600 s' : null, alertId: null, recentFailures: breaker === 'open' ? 3 : 0,
    members: [{ key: 'web-1', nodeId: 'n2', nodeName: 'shop-web-1', status: 'unhealthy', reason: 'health is critical', unhealthySince: at, nextStep: 'reboot', nextAttemptAt: null, attempts: 3, inFlight: null }],
    attempts: [{ id: 'a1', key: 'web-1', nodeId: 'n2', step: 'reboot', reason: 'health is critical', jobId: 'j9', startedBy: 'host:1:abc', startedAt: at, finishedAt: at, outcome: 'recovered', detail: null }],
  }],
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the constellation page', () => {
  it('shows the members with their health, the plan as a diff, and applies it', async () => {
    signIn('operator');
    const seen: FakeRequest[] = fakeApi((req) => {
      if (req.method === 'GET' && req.path === '/api/v1/constellations/c1') return { status: 200, body: shop };
      if (req.method === 'POST' && req.path === '/api/v1/constellations/c1/plan') return { status: 200, body: plan };
      if (req.method === 'GET' && req.path === '/api/v1/constellations/c1/guarantee') return { status: 200, body: { constellationId: 'c1', tiers: [] } };
      if (req.method === 'POST' && req.path === '/api/v1/constellations/c1/apply') return { status: 202, body: { id: 'j1', type: 'constellation.apply', state: 'queued' } };
      return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
    });
    renderAt('/constellations/c1', <><Route path="/constellations/:id" element={<ConstellationDetailPage />} /><Route path="/jobs/:id" element={<p>job page</p>} /></>);
    const web = await screen.findByRole('table', { name: 'Tier web' });
    expect(within(web).getByText('shop-web-1').closest('tr')!.textContent).toContain('critical');
    expect(screen.getByRole('heading', { name: 'web (1 of 2)' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Apply' })).toBeNull(); // only after a plan was seen

    fireEvent.click(screen.getByRole('button', { name: 'Plan' }));
    const diff = await screen.findByLabelText('Plan');
    expect(diff.textContent!.split('\n')).toEqual([
      '+ web-2        create    count is 2',
      '~ db-1         configure not configured by this constellation yet',
    ]);
    expect(screen.getByText(/1 to create, 1 to configure, 0 to replace, 0 to destroy, 0 to add to a balancer, 1 unchanged/)).toBeTruthy();
    expect([...screen.getByRole('list', { name: 'Balancer changes' }).querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Balancer web-lb (http :80) of web, kept: web-1, web-2 (+ web-2 once healthy)',
      'Balancer api-lb (tcp :8080) of api, to update (health check the default → tcp connect every 5 s (timeout 2 s, 2 up, 2 down)): api-1',
    ]);
    expect(screen.getByLabelText('Balancer of web').textContent).toMatch(/web-lb \(http 203\.0\.113\.9:80\).*web-1 unhealthy/);
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await screen.findByText('job page');
    expect(seen.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/api/v1/constellations/c1/plan', '/api/v1/constellations/c1/apply']);
  });

  it('shows the service guarantee of a tier, and lets an operator reset its tripped breaker', async () => {
    signIn('operator');
    let breaker: 'open' | 'closed' = 'open';
    const seen: FakeRequest[] = fakeApi((req) => {
      if (req.method === 'GET' && req.path === '/api/v1/constellations/c1') return { status: 200, body: shop };
      if (req.method === 'GET' && req.path === '/api/v1/constellations/c1/guarantee') return { status: 200, body: guarantee(breaker) };
      if (req.method === 'POST' && req.path === '/api/v1/constellations/c1/guarantee/web/reset') {
        breaker = 'closed';
        return { status: 200, body: guarantee('closed') };
      }
      return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
    });
    renderAt('/constellations/c1', <Route path="/constellations/:id" element={<ConstellationDetailPage />} />);
    const members = await screen.findByRole('table', { name: 'Guarantee web' });
    const row = within(members).getByText('web-1').closest('tr')!;
    expect(row.textContent).toContain('unhealthy');
    expect(row.textContent).toContain('health is critical');
    expect(row.textContent).toContain('next: reboot');
    expect(within(screen.getByRole('table', { name: 'Steps web' })).getByText('recovered')).toBeTruthy();
    expect(screen.getByText(/3 failed remediation\(s\) within 3600 s/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reset breaker' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Reset breaker' })).toBeNull());
    expect(screen.getByText('guarded')).toBeTruthy();
    expect(seen.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/api/v1/constellations/c1/guarantee/web/reset']);
  });
});

describe('the constellation forms', () => {
  const detail = (extra: (req: FakeRequest) => ReturnType<Parameters<typeof fakeApi>[0]> | undefined) => {
    signIn('operator');
    const seen = fakeApi((req) => {
      const answer = extra(req);
      if (answer) return answer;
      if (req.method === 'GET' && req.path === '/api/v1/constellations/c1') return { status: 200, body: shop };
      if (req.method === 'GET' && req.path === '/api/v1/providers') return { status: 200, body: { items: [], total: 0, page: 1, limit: 200 } };
      return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
    });
    renderAt('/constellations/c1', <><Route path="/constellations/:id" element={<ConstellationDetailPage />} /><Route path="/jobs/:id" element={<p>job page</p>} /><Route path="/constellations/c2" element={<p>the clone</p>} /></>);
    return seen;
  };

  it('destroys only once the name is typed out', async () => {
    const seen = detail((req) => (req.method === 'POST' && req.path === '/api/v1/constellations/c1/destroy' ? { status: 202, body: { id: 'j9', type: 'constellation.destroy', state: 'queued' } } : undefined));
    const form = await screen.findByRole('form', { name: 'Destroy' });
    const button = within(form).getByRole('button', { name: 'Destroy shop' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'sho' } });
    expect(button.disabled).toBe(true);
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'shop' } });
    expect(button.disabled).toBe(false);
    fireEvent.click(button);
    await screen.findByText('job page');
    expect(seen.find((r) => r.path === '/api/v1/constellations/c1/destroy')!.body).toEqual({ confirm: 'shop' });
  });

  it('scales with new counts per tier as a new spec version', async () => {
    const seen = detail((req) => (req.method === 'PUT' && req.path === '/api/v1/constellations/c1/spec' ? { status: 200, body: { ...shop, latestVersion: 3 } } : undefined));
    const form = await screen.findByRole('form', { name: 'Scale' });
    fireEvent.change(within(form).getByLabelText('web'), { target: { value: '4' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save new counts' }));
    await within(form).findByText('Version 3 saved: plan and apply to carry it out.');
    const body = seen.find((r) => r.method === 'PUT')!.body as { tiers: { name: string; count: number; balancer?: unknown }[] };
    expect(body.tiers.map((t) => `${t.name} ${t.count}`)).toEqual(['db 1', 'web 4']);
    expect(body.tiers[1]!.balancer).toEqual(shop.spec.tiers[1]!.balancer); // the rest of the spec as it was
  });

  it('clones with another name, machine fields and counts, and opens the clone', async () => {
    const seen = detail((req) => (req.method === 'POST' && req.path === '/api/v1/constellations/c1/clone' ? { status: 201, body: { ...shop, id: 'c2', name: 'shop-eu' } } : undefined));
    const form = await screen.findByRole('form', { name: 'Clone' });
    fireEvent.change(within(form).getByRole('textbox', { name: 'Name' }), { target: { value: 'shop-eu' } });
    fireEvent.change(within(form).getByLabelText('Location'), { target: { value: 'fra1' } });
    fireEvent.change(within(form).getByLabelText('db'), { target: { value: '0' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Clone' }));
    await screen.findByText('the clone');
    expect(seen.find((r) => r.path === '/api/v1/constellations/c1/clone')!.body).toEqual({ name: 'shop-eu', counts: { db: 0, web: 2 }, machine: { locationId: 'fra1' } });
  });
});

describe('the constellation import', () => {
  it('shows each problem with its line and column, and imports an uploaded JSON document', async () => {
    signIn('operator');
    let attempt = 0;
    const seen = fakeApi((req) => {
      if (req.method === 'GET' && req.path === '/api/v1/constellations') return { status: 200, body: { items: [], total: 0, page: 1, limit: 200 } };
      if (req.method === 'POST' && req.path === '/api/v1/constellations/import') {
        attempt++;
        if (attempt === 1) return problem(422, 'The constellation spec is not valid', 'req-7', [{ field: 'tiers[1].colour', message: 'is not a known field', line: 9, column: 5 } as never, { field: 'tiers[0].count', message: 'must be >= 0', line: 5, column: 5 } as never]);
        return { status: 201, body: { ...shop, id: 'c3' } };
      }
      return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
    });
    const { container } = renderAt('/constellations', <><Route path="/constellations" element={<ConstellationsPage />} /><Route path="/constellations/c3" element={<p>imported</p>} /></>);
    const form = await screen.findByRole('form', { name: 'Import a constellation' });
    expect((await screen.findByText(/^No constellations yet\./)).textContent).toBe('No constellations yet. Import one below: a YAML or JSON document of its tiers, each a server role or machine type and a count.');
    fireEvent.change(within(form).getByLabelText(/^Document/), { target: { value: 'name: shop\ntiers: []' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Import' }));
    const problems = await within(form).findByRole('list', { name: 'Problems' });
    expect([...problems.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['line 9, column 5: tiers[1].colour is not a known field', 'line 5, column 5: tiers[0].count must be >= 0']);

    const json = '{ "name": "shop", "tiers": [{ "name": "db", "serverRole": "pg", "count": 1 }] }';
    const input = container.querySelector('input[type=file]') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File([json], 'shop.json', { type: 'application/json' })] } });
    await waitFor(() => expect((within(form).getByLabelText(/^Document/) as HTMLTextAreaElement).value).toBe(json));
    fireEvent.click(within(form).getByRole('button', { name: 'Import' }));
    await screen.findByText('imported');
    expect(seen.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([{ format: 'yaml', document: 'name: shop\ntiers: []' }, { format: 'json', document: json }]);
  });
});

describe('the constellation list', () => {
  it('tells an observer there are none, without offering an import they cannot make', async () => {
    signIn('observer');
    fakeApi((req) => (req.method === 'GET' && req.path === '/api/v1/constellations'
      ? { status: 200, body: { items: [], total: 0, page: 1, limit: 200 } }
      : { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } }));
    renderAt('/constellations', <Route path="/constellations" element={<ConstellationsPage />} />);
    expect((await screen.findByText(/^No constellations yet\./)).textContent).toBe('No constellations yet.');
    expect(screen.queryByRole('form', { name: 'Import a constellation' })).toBeNull();
  });
});

describe('the balancers page', () => {
  it("lists a provider's balancers with each member's health, and a constellation's", async () => {
    signIn('observer');
    const balancer = {
      id: 'b1', providerId: 'p1', providerBalancerId: 'lb-1', name: 'web-lb', state: 'active', stateMessage: null, protocol: 'http', port: 80, memberPort: 8080, algorithm: 'round_robin',
      address: '203.0.113.9', healthCheck: null, locationId: null, hostNodeId: 'h1000000', options: {}, constellationId: 'c1', tier: 'web', createdBy: null, createdAt: at, updatedAt: at, destroyedAt: null,
      members: [{ nodeId: 'n2000000', memberId: 'm1', state: 'healthy', stateMessage: null }, { nodeId: 'n3000000', memberId: 'm2', state: 'draining', stateMessage: null }],
    };
    fakeApi((req) => {
      if (req.method === 'GET' && req.path === '/api/v1/providers') return { status: 200, body: { items: [{ id: 'p1', name: 'lab' }], total: 1, page: 1, limit: 200 } };
      if (req.method === 'GET' && req.path === '/api/v1/constellations') return { status: 200, body: { items: [{ ...shop }], total: 1, page: 1, limit: 200 } };
      if (req.method === 'GET' && req.path === '/api/v1/providers/p1/balancers') return { status: 200, body: { items: [balancer], total: 1, page: 1, limit: 200 } };
      if (req.method === 'GET' && req.path === '/api/v1/constellations/c1/balancers') return { status: 200, body: { items: [{ ...balancer, members: [] }] } };
      return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
    });
    renderAt('/balancers?provider=p1', <Route path="/balancers" element={<BalancersPage />} />);
    const table = await screen.findByRole('table', { name: 'Balancers of the provider' });
    expect(within(table).getByLabelText('member n2000000').textContent).toBe('n2000000healthy');
    expect(within(table).getByLabelText('member n3000000').textContent).toBe('n3000000draining');
    expect(within(table).getByText('http :80 → :8080')).toBeTruthy();
    cleanup();
    renderAt('/balancers?constellation=c1', <Route path="/balancers" element={<BalancersPage />} />);
    const ofConstellation = await screen.findByRole('table', { name: 'Balancers of the constellation' });
    expect(within(ofConstellation).getByRole('link', { name: 'web' }).getAttribute('href')).toBe('/constellations/c1');
  });
});
