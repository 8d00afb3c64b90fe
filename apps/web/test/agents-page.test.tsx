import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AgentDetailPage } from '../src/pages/agent-detail-page.js';
import { AgentsPage } from '../src/pages/agents-page.js';
import { renderAt } from './render-at.js';
import { fakeApi, problem, signIn, type FakeRequest } from './fake-api.js';

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const agent = (id: string, hostname: string, status: string, extra: Record<string, unknown> = {}) => ({
  id, hostname, status, nodeId: null as string | null, agentVersion: '1.2.3', capabilities: [], connected: false, since: ago(5), lastSeenAt: null,
  lastRunId: null, publicKey: 'pk', createdAt: ago(10), decidedBy: null, decidedAt: null, ...extra,
});
const node = (id: string, name: string) => ({ id, name, providerId: 'p1', state: 'running', publicIps: ['192.0.2.9'], privateIps: [], tags: [], agent: null, configMode: null });
const NODES = [node('n1', 'web-1'), node('n2', 'db-1')];

function setup(options: { release?: 'ok' | 'missing'; approve?: 'ok' | 'conflict' } = {}) {
  const agents = [agent('a1', 'fresh-host', 'pending'), agent('a2', 'web-host', 'active', { nodeId: 'n1', connected: true, lastSeenAt: ago(1) })];
  const tokens: Record<string, unknown>[] = [
    { id: 't1', prefix: 'omj_abcd', nodeId: null, description: 'rack 4', state: 'valid', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), createdBy: 'u1', createdAt: ago(3), usedAt: null, agentId: null, revokedAt: null },
    { id: 't0', prefix: 'omj_zzzz', nodeId: 'n1', description: null, state: 'used', expiresAt: ago(1), createdBy: 'u1', createdAt: ago(60), usedAt: ago(50), agentId: 'a2', revokedAt: null },
  ];
  const seen = fakeApi((req: FakeRequest) => {
    const body = req.body as Record<string, unknown>;
    if (req.method === 'GET' && req.path === '/api/v1/agents') {
      const items = agents.filter((a) => a.status === req.query.status);
      return { status: 200, body: { items, page: 1, limit: Number(req.query.limit), total: items.length } };
    }
    const action = /^\/api\/v1\/agents\/(\w+)\/(approve|reject|revoke)$/.exec(req.path);
    if (req.method === 'POST' && action) {
      const a = agents.find((x) => x.id === action[1])!;
      if (action[2] === 'approve' && options.approve === 'conflict') return problem(409, 'Node db-1 is gone; an agent cannot join it', 'req-approve');
      Object.assign(a, action[2] === 'approve' ? { status: 'active', nodeId: body.nodeId } : { status: action[2] === 'reject' ? 'rejected' : 'revoked', connected: false });
      return { status: 200, body: a };
    }
    if (req.method === 'GET' && req.path === '/api/v1/nodes') {
      const search = String(req.query.search ?? '');
      const items = NODES.filter((n) => n.name.includes(search));
      return { status: 200, body: { items, page: 1, limit: 50, total: items.length } };
    }
    const one = agents.find((a) => req.path === `/api/v1/agents/${a.id}`);
    if (req.method === 'GET' && one) return { status: 200, body: { ...one, facts: { kernel: { release: '6.1.0-18-amd64' } } } };
    const byId = NODES.find((n) => req.path === `/api/v1/nodes/${n.id}`);
    if (req.method === 'GET' && byId) return { status: 200, body: byId };
    if (req.method === 'GET' && req.path === '/api/v1/agent-tokens') {
      const items = tokens.filter((t) => !req.query.state || t.state === req.query.state);
      return { status: 200, body: { items, page: 1, limit: 20, total: items.length } };
    }
    if (req.method === 'POST' && req.path === '/api/v1/agent-tokens') {
      const created = { id: 't2', prefix: 'omj_newt', nodeId: body.nodeId ?? null, description: body.description ?? null, state: 'valid', expiresAt: new Date(Date.now() + Number(body.ttlSeconds) * 1000).toISOString(), createdBy: 'u1', createdAt: new Date().toISOString(), usedAt: null, agentId: null, revokedAt: null };
      tokens.unshift(created);
      return { status: 201, body: { ...created, token: 'omj_newtSECRET-join-token' } };
    }
    if (req.method === 'DELETE' && req.path === '/api/v1/agent-tokens/t1') return { status: 200, body: Object.assign(tokens.find((t) => t.id === 't1')!, { state: 'revoked' }) };
    if (req.path === '/api/v1/agent/release') {
      return options.release === 'missing'
        ? problem(503, 'The agent bundle is not built', 'req-release')
        : { status: 200, body: { version: '1.2.3', sha256: 'ab', bytes: 1, downloadUrl: '', installScriptUrl: '', serviceUnitUrl: '', serverUrl: 'https://overmind.example.org' } };
    }
    return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
  });
  return { seen, agents, tokens };
}

const renderPage = (path = '/agents') => renderAt(path, <Route path="/agents" element={<AgentsPage />} />);
const posts = (seen: FakeRequest[], path: string) => seen.filter((r) => r.method === 'POST' && r.path === path);

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the agents page', () => {
  it('approves a pending agent onto a node found by searching, and rejects after a confirmation', async () => {
    signIn('operator');
    const { seen, agents } = setup();
    renderPage();
    const table = await screen.findByRole('table', { name: 'Pending agents' });
    const row = within(table).getByText('fresh-host').closest('tr')!;
    expect(row.textContent).toContain('1.2.3');
    expect(row.textContent).toContain('10 minutes ago');
    expect(screen.getByRole('link', { name: 'Pending (1)' }).getAttribute('aria-current')).toBe('page');

    fireEvent.click(within(row).getByRole('button', { name: 'Approve…' }));
    const form = within(row).getByRole('form', { name: 'Approve the agent on fresh-host' });
    const approveButton = within(form).getByRole('button', { name: 'Approve' }) as HTMLButtonElement;
    expect(approveButton.disabled).toBe(true); // no node chosen yet
    fireEvent.change(within(form).getByLabelText('Find a node'), { target: { value: 'db' } });
    await waitFor(() => expect(seen.filter((r) => r.path === '/api/v1/nodes').at(-1)?.query).toMatchObject({ search: 'db' }));
    const select = within(form).getByLabelText('Node *') as HTMLSelectElement;
    await waitFor(() => expect([...select.options].map((o) => o.textContent)).toEqual(['— choose a node —', 'db-1 (192.0.2.9)']));
    fireEvent.change(select, { target: { value: 'n2' } });
    fireEvent.click(approveButton);
    await waitFor(() => expect(posts(seen, '/api/v1/agents/a1/approve').map((r) => r.body)).toEqual([{ nodeId: 'n2' }]));
    expect((await screen.findByRole('status')).textContent).toBe('Agent on fresh-host approved as the agent of db-1.');
    expect(agents[0]).toMatchObject({ status: 'active', nodeId: 'n2' });
    await screen.findByText('No agent waits for approval.');
  });

  it('shows why an approval was refused, with the request id, and rejects after a confirmation', async () => {
    signIn('operator');
    const { seen } = setup({ approve: 'conflict' });
    renderPage();
    const row = (await screen.findByText('fresh-host')).closest('tr')!;
    fireEvent.click(within(row).getByRole('button', { name: 'Approve…' }));
    const select = within(row).getByLabelText('Node *') as HTMLSelectElement;
    await waitFor(() => expect(select.options.length).toBe(3));
    fireEvent.change(select, { target: { value: 'n2' } });
    fireEvent.click(within(row).getByRole('button', { name: 'Approve' }));
    const alert = await within(row).findByRole('alert');
    expect(alert.textContent).toContain('Node db-1 is gone');
    expect(alert.textContent).toContain('req-approve');

    fireEvent.click(within(row).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Reject' }));
    expect(posts(seen, '/api/v1/agents/a1/reject')).toHaveLength(0);
    fireEvent.click(within(row).getByRole('button', { name: 'Yes, reject' }));
    await waitFor(() => expect(posts(seen, '/api/v1/agents/a1/reject')).toHaveLength(1));
    expect((await screen.findByRole('status')).textContent).toBe('Agent on fresh-host rejected.');
  });

  it('lists active agents with their node and connection, and revokes one after a confirmation', async () => {
    signIn('operator');
    const { seen } = setup();
    renderPage('/agents?status=active');
    const table = await screen.findByRole('table', { name: 'Active agents' });
    const row = within(table).getByText('web-host').closest('tr')!;
    expect(within(row).getByRole('link', { name: 'web-host' }).getAttribute('href')).toBe('/agents/a2');
    expect((await within(row).findByRole('link', { name: 'web-1' })).getAttribute('href')).toBe('/nodes/n1');
    expect(row.querySelector('[data-agent-state]')!.getAttribute('data-agent-state')).toBe('connected');
    fireEvent.click(within(row).getByRole('button', { name: 'Revoke' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Yes, revoke' }));
    await waitFor(() => expect(posts(seen, '/api/v1/agents/a2/revoke')).toHaveLength(1));
    expect((await screen.findByRole('status')).textContent).toBe('Agent on web-host revoked.');
    await screen.findByText('No active agents.');
  });

  it('offers observers no decision and no join tokens', async () => {
    signIn('observer');
    const { seen } = setup();
    renderPage();
    await screen.findByText('fresh-host');
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Join tokens' })).toBeNull();
    expect(seen.some((r) => r.path === '/api/v1/agent-tokens')).toBe(false);
  });
});

describe('join tokens', () => {
  it('creates one for any node and shows it once, with the install command for the server URL agents use', async () => {
    signIn('operator');
    const { seen } = setup();
    renderPage();
    const form = await screen.findByRole('form', { name: 'Create a join token' });
    fireEvent.change(within(form).getByLabelText('Valid for'), { target: { value: String(86_400) } });
    fireEvent.change(within(form).getByLabelText('Description'), { target: { value: ' rack 5 ' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create join token' }));
    const box = await screen.findByRole('status', { name: 'New join token' });
    expect(posts(seen, '/api/v1/agent-tokens').map((r) => r.body)).toEqual([{ ttlSeconds: 86_400, nodeId: null, description: 'rack 5' }]);
    expect(box.querySelector('code.secret')!.textContent).toBe('omj_newtSECRET-join-token');
    expect(box.textContent).toContain('the agent that uses it waits for approval');
    await waitFor(() => expect(box.querySelector('.install-command')?.textContent).toBe(
      'curl -fsSL https://overmind.example.org/api/v1/agent/install.sh | sudo sh -s -- --url https://overmind.example.org --token-file /root/overmind-join-token',
    ));
    // Listed without its secret; Done forgets it.
    const list = screen.getByRole('table', { name: 'Join tokens' });
    await within(list).findByText('omj_newt…');
    expect(list.textContent).not.toContain('SECRET');
    fireEvent.click(within(box).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByText('omj_newtSECRET-join-token')).toBeNull());
  });

  it('falls back to this console\'s address when the server has no agent build yet (503)', async () => {
    signIn('operator');
    const { seen } = setup({ release: 'missing' });
    renderPage();
    const form = await screen.findByRole('form', { name: 'Create a join token' });
    fireEvent.click(within(form).getByRole('button', { name: 'Create join token' }));
    const box = await screen.findByRole('status', { name: 'New join token' });
    await waitFor(() => expect(box.querySelector('.install-command')?.textContent).toContain('--url http://127.0.0.1:8080 --token-file'));
    expect(box.textContent).toContain('no agent build to hand out yet');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(seen.filter((r) => r.path === '/api/v1/agent/release')).toHaveLength(1); // a 503 is an answer: not retried
  });

  it('binds a token to a node picked by search, and revokes an unused one only', async () => {
    signIn('operator');
    const { seen } = setup();
    renderPage();
    const form = await screen.findByRole('form', { name: 'Create a join token' });
    const select = within(form).getByLabelText('Node') as HTMLSelectElement;
    await waitFor(() => expect(select.options.length).toBe(3));
    fireEvent.change(select, { target: { value: 'n1' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create join token' }));
    await screen.findByRole('status', { name: 'New join token' });
    expect(posts(seen, '/api/v1/agent-tokens').map((r) => r.body)).toEqual([{ ttlSeconds: 3600, nodeId: 'n1', description: null }]);

    const list = screen.getByRole('table', { name: 'Join tokens' });
    const used = (await within(list).findByText('omj_zzzz…')).closest('tr')!;
    expect(within(used).queryByRole('button', { name: 'Revoke' })).toBeNull();
    expect(within(used).getByRole('link', { name: /^agent a2/ }).getAttribute('href')).toBe('/agents/a2');
    const valid = within(list).getByText('omj_abcd…').closest('tr')!;
    fireEvent.click(within(valid).getByRole('button', { name: 'Revoke' }));
    fireEvent.click(within(valid).getByRole('button', { name: 'Yes, revoke' }));
    await waitFor(() => expect(seen.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(['/api/v1/agent-tokens/t1']));
    expect((await screen.findByText('Join token omj_abcd… revoked.')).getAttribute('role')).toBe('status');
  });
});

describe('the agent page', () => {
  it("shows an active agent's node, connection, version and facts; operators may revoke it, observers not", async () => {
    signIn('operator');
    const { seen } = setup();
    const rendered = renderAt('/agents/a2', <Route path="/agents/:id" element={<AgentDetailPage />} />);
    await screen.findByRole('heading', { name: /Agent on web-host/ });
    expect((await screen.findByRole('link', { name: 'web-1' })).getAttribute('href')).toBe('/nodes/n1');
    expect(document.querySelector('[data-agent-state]')!.getAttribute('data-agent-state')).toBe('connected');
    expect(screen.getByText('6.1.0-18-amd64', { exact: false })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, revoke' }));
    await waitFor(() => expect(posts(seen, '/api/v1/agents/a2/revoke')).toHaveLength(1));
    expect((await screen.findByRole('status')).textContent).toBe('Agent on web-host revoked.');
    rendered.unmount();

    signIn('observer');
    renderAt('/agents/a1', <Route path="/agents/:id" element={<AgentDetailPage />} />);
    await screen.findByRole('heading', { name: /Agent on fresh-host/ });
    expect(screen.getByText('none yet: waiting for approval')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
