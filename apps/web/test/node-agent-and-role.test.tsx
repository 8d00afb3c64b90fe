import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyEvent } from '../src/api/live-updates.js';
import { NodeDetailPage } from '../src/pages/node-detail-page.js';
import { NodesPage } from '../src/pages/nodes-page.js';
import { renderAt } from './render-at.js';
import { fakeApi, problem, signIn, type FakeRequest } from './fake-api.js';

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
type NodeAgent = { id: string; state: 'pending' | 'connected' | 'disconnected'; since: string | null } | null;
const node = (id: string, name: string, agent: NodeAgent, configMode: 'push' | 'pull' | null = null) => ({
  id, providerId: 'p1', providerNodeId: null, name, state: 'running', publicIps: [], privateIps: [], imageId: null, sizeId: null, locationId: null,
  extra: {}, tags: [], facts: null, createdBy: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
  destroyedBy: null, destroyedAt: null, decommissionedAt: null, configMode, agent,
});
const role = (id: string, name: string, configMode: 'push' | 'pull', nodeIds: string[]) => ({ id, name, configMode, nodeIds, convergeIntervalSeconds: null, convergeSplaySeconds: 0 });

function setup(n: ReturnType<typeof node>, options: { roles?: ReturnType<typeof role>[]; configure?: 'ok' | 'conflict'; install?: 'ok' | 'conflict' } = {}) {
  const roles = options.roles ?? [];
  return fakeApi((req: FakeRequest) => {
    const body = req.body as Record<string, unknown>;
    if (req.method === 'GET' && req.path === `/api/v1/nodes/${n.id}`) return { status: 200, body: n };
    if (req.method === 'GET' && req.path === '/api/v1/nodes') return { status: 200, body: { items: [n], page: 1, limit: 50, total: 1 } };
    if (req.method === 'GET' && req.path === '/api/v1/agents/ag1') {
      return { status: 200, body: { id: 'ag1', hostname: 'web-host', status: 'active', nodeId: n.id, agentVersion: '1.2.3', capabilities: [], connected: true, since: ago(3), lastSeenAt: ago(2), lastRunId: null, publicKey: 'pk', createdAt: ago(60), decidedBy: null, decidedAt: null, facts: null } };
    }
    if (req.method === 'POST' && req.path === '/api/v1/agents/ag1/revoke') {
      n.agent = null;
      return { status: 200, body: { id: 'ag1', hostname: 'web-host', status: 'revoked' } };
    }
    if (req.method === 'GET' && req.path === '/api/v1/server-roles') return { status: 200, body: { items: roles, page: 1, limit: 200, total: roles.length } };
    if (req.method === 'PUT' && req.path === `/api/v1/nodes/${n.id}/role`) {
      for (const r of roles) r.nodeIds = r.id === body.serverRoleId ? [n.id] : r.nodeIds.filter((x) => x !== n.id);
      n.configMode = body.configMode as typeof n.configMode;
      return { status: 200, body: n };
    }
    if (req.method === 'DELETE' && req.path === `/api/v1/nodes/${n.id}/role`) {
      for (const r of roles) r.nodeIds = r.nodeIds.filter((x) => x !== n.id);
      return { status: 200, body: n };
    }
    if (req.method === 'POST' && req.path === `/api/v1/nodes/${n.id}/configure`) {
      return options.configure === 'conflict' ? problem(409, 'Node web-1 has a job running', 'req-configure') : { status: 202, body: { id: 'job-9', type: 'node.configure', state: 'queued' } };
    }
    if (req.method === 'POST' && req.path === '/api/v1/agent-tokens') return { status: 201, body: { id: 't9', prefix: 'omj_x', nodeId: body.nodeId, description: null, state: 'valid', expiresAt: ago(-60), createdAt: ago(0), token: 'omj_xTOKEN' } };
    if (req.method === 'POST' && req.path === `/api/v1/nodes/${n.id}/agent/install`) {
      return options.install === 'conflict' ? problem(409, 'Overmind has no SSH access to node web-1', 'req-install') : { status: 202, body: { id: 'job-7', type: 'node.agent-install', state: 'queued' } };
    }
    if (req.path === '/api/v1/agent/release') return problem(503, 'not built', 'req-rel');
    if (req.path === '/api/v1/providers/p1') return { status: 200, body: { id: 'p1', name: 'rack', type: 'dedicated', status: 'ok' } };
    if (req.path === '/api/v1/providers') return { status: 200, body: { items: [], page: 1, limit: 200, total: 0 } };
    if (req.path === '/api/v1/provider-types') return { status: 200, body: { items: [] } };
    if (req.path === '/api/v1/jobs') return { status: 200, body: { items: [], page: 1, limit: 20, total: 0 } };
    return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
  });
}

const renderDetail = (id: string) =>
  renderAt(`/nodes/${id}`, <><Route path="/nodes/:id" element={<NodeDetailPage />} /><Route path="/jobs/:id" element={<h1>Job page</h1>} /></>);
const section = (name: string) => screen.getByRole('region', { name });

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the node list', () => {
  it('has an Agent column: connected, disconnected with since when, none; live from agent events', async () => {
    signIn('observer');
    setup(node('n1', 'web-1', { id: 'ag1', state: 'disconnected', since: ago(5) }));
    const { client } = renderAt('/nodes', <Route path="/nodes" element={<NodesPage />} />);
    const row = (await screen.findByRole('link', { name: 'web-1' })).closest('tr')!;
    expect(screen.getByRole('columnheader', { name: 'Agent' })).toBeTruthy();
    const cell = () => row.querySelector('[data-agent-state]')!;
    expect(cell().getAttribute('data-agent-state')).toBe('disconnected');
    expect(cell().textContent).toBe('disconnected 5 minutes ago');
    applyEvent(client, { type: 'agent', id: 'ag1', nodeId: 'n1', status: 'active', connected: true, since: new Date().toISOString() });
    await waitFor(() => expect(cell().getAttribute('data-agent-state')).toBe('connected'));
    expect(cell().textContent).toBe('connected');
    applyEvent(client, { type: 'agent', id: 'ag1', nodeId: 'n1', status: 'revoked', connected: false, since: new Date().toISOString() });
    await waitFor(() => expect(cell().getAttribute('data-agent-state')).toBe('none'));
  });
});

describe('the node page: agent', () => {
  it('shows the agent, its host, version and last contact, linking to its page; operators can revoke it', async () => {
    signIn('operator');
    const seen = setup(node('n1', 'web-1', { id: 'ag1', state: 'connected', since: ago(3) }));
    renderDetail('n1');
    await screen.findByRole('heading', { name: 'Agent' });
    const agent = section('Agent');
    await waitFor(() => expect(within(agent).getByRole('link', { name: /^web-host/ }).getAttribute('href')).toBe('/agents/ag1'));
    expect(agent.textContent).toContain('connected 3 minutes ago');
    expect(agent.textContent).toContain('1.2.3');
    expect(agent.textContent).toContain('2 minutes ago');
    fireEvent.click(within(agent).getByRole('button', { name: 'Revoke' }));
    fireEvent.click(within(agent).getByRole('button', { name: 'Yes, revoke' }));
    await waitFor(() => expect(seen.some((r) => r.method === 'POST' && r.path === '/api/v1/agents/ag1/revoke')).toBe(true));
    await within(agent).findByText('No agent: this node is reached over SSH only.');
  });

  it('makes a join token for a node without an agent', async () => {
    signIn('operator');
    const seen = setup(node('n1', 'web-1', null));
    renderDetail('n1');
    const form = await screen.findByRole('form', { name: 'Create a join token' });
    expect(form.textContent).toContain('For node web-1.');
    fireEvent.click(within(form).getByRole('button', { name: 'Create join token' }));
    const box = await screen.findByRole('status', { name: 'New join token' });
    expect(box.textContent).toContain("this node's agent at once");
    expect(seen.filter((r) => r.method === 'POST' && r.path === '/api/v1/agent-tokens').map((r) => r.body)).toEqual([{ ttlSeconds: 3600, nodeId: 'n1', description: null }]);
  });
});

describe('the node page: agent install', () => {
  it('installs the agent over SSH after a confirmation and opens the job; a node without SSH access says why', async () => {
    signIn('operator');
    const seen = setup(node('n1', 'web-1', null));
    renderDetail('n1');
    await screen.findByRole('heading', { name: 'Agent' });
    fireEvent.click(within(section('Agent')).getByRole('button', { name: 'Install agent over SSH' }));
    expect(within(section('Agent')).getByRole('group', { name: 'Confirm Install agent over SSH' }).textContent).toContain('Install the agent on web-1 over SSH?');
    fireEvent.click(within(section('Agent')).getByRole('button', { name: 'Yes, install agent over ssh' }));
    await screen.findByRole('heading', { name: 'Job page' });
    expect(seen.filter((r) => r.method === 'POST' && r.path === '/api/v1/nodes/n1/agent/install').map((r) => r.body)).toEqual([{}]);
    cleanup();

    setup(node('n1', 'web-1', null), { install: 'conflict' });
    renderDetail('n1');
    await screen.findByRole('heading', { name: 'Agent' });
    fireEvent.click(within(section('Agent')).getByRole('button', { name: 'Install agent over SSH' }));
    fireEvent.click(within(section('Agent')).getByRole('button', { name: 'Yes, install agent over ssh' }));
    expect((await within(section('Agent')).findByRole('alert')).textContent).toContain('Overmind has no SSH access to node web-1');
  });

  it('offers an upgrade in place where an agent is installed', async () => {
    signIn('operator');
    setup(node('n1', 'web-1', { id: 'ag1', state: 'connected', since: ago(3) }));
    renderDetail('n1');
    await screen.findByRole('heading', { name: 'Agent' });
    expect(within(section('Agent')).getByRole('button', { name: 'Upgrade agent' })).toBeTruthy();
    expect(within(section('Agent')).queryByRole('button', { name: 'Install agent over SSH' })).toBeNull();
  });

  it('shows observers no install button', async () => {
    signIn('observer');
    setup(node('n1', 'web-1', null));
    renderDetail('n1');
    await screen.findByText('No agent: this node is reached over SSH only.');
    expect(screen.queryByRole('button', { name: 'Install agent over SSH' })).toBeNull();
  });
});

describe('the node page: server role and configuration', () => {
  it('assigns a role in pull mode, says the agent is missing, and removes the role after a confirmation', async () => {
    signIn('operator');
    const seen = setup(node('n1', 'web-1', null), { roles: [role('r1', 'web', 'push', []), role('r2', 'db', 'pull', [])] });
    renderDetail('n1');
    await screen.findByRole('heading', { name: 'Configuration' });
    const config = section('Configuration');
    await waitFor(() => expect(config.querySelector('dd')!.textContent).toBe('none'));
    expect(within(config).queryByRole('button', { name: 'Configure' })).toBeNull();
    const form = within(config).getByRole('form', { name: 'Server role and configuration mode' });
    fireEvent.change(within(form).getByLabelText('Server role'), { target: { value: 'r1' } });
    expect([...(within(form).getByLabelText('Configuration mode') as HTMLSelectElement).options].map((o) => o.textContent))
      .toEqual(['follow the role (push)', 'push (over SSH)', 'pull (through its agent)']);
    fireEvent.change(within(form).getByLabelText('Configuration mode'), { target: { value: 'pull' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Assign role' }));
    await waitFor(() => expect(seen.filter((r) => r.method === 'PUT').map((r) => r.body)).toEqual([{ serverRoleId: 'r1', configMode: 'pull' }]));
    expect((await within(config).findByRole('status')).textContent).toBe('Saved: role web, pull mode. Configure applies it.');
    await waitFor(() => expect(config.querySelector('dd')!.textContent).toBe('web'));
    expect(config.querySelector('[data-config-mode]')!.textContent).toBe('pull (through its agent), set on this node');
    expect(config.textContent).toContain('It has no agent: a configure waits for the agent until its deadline.');

    fireEvent.click(within(config).getByRole('button', { name: 'Remove role' }));
    fireEvent.click(within(config).getByRole('button', { name: 'Yes, remove role' }));
    await waitFor(() => expect(seen.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(['/api/v1/nodes/n1/role']));
    await waitFor(() => expect(config.querySelector('dd')!.textContent).toBe('none'));
  });

  it("follows the role's mode, and Configure opens the job page (or says why not)", async () => {
    signIn('operator');
    const seen = setup(node('n1', 'web-1', { id: 'ag1', state: 'connected', since: ago(1) }), { roles: [role('r2', 'db', 'pull', ['n1'])], configure: 'conflict' });
    renderDetail('n1');
    await screen.findByRole('heading', { name: 'Configuration' });
    const config = section('Configuration');
    await waitFor(() => expect(config.querySelector('[data-config-mode]')!.textContent).toBe("pull (through its agent), the role's"));
    expect(config.textContent).not.toContain('waits for the agent');
    fireEvent.click(within(config).getByRole('button', { name: 'Configure' }));
    const alert = await within(config).findByRole('alert');
    expect(alert.textContent).toContain('Node web-1 has a job running');
    expect(alert.textContent).toContain('req-configure');
    cleanup();

    const again = setup(node('n1', 'web-1', null), { roles: [role('r2', 'db', 'pull', ['n1'])] });
    renderDetail('n1');
    fireEvent.click(await screen.findByRole('button', { name: 'Configure' }));
    await screen.findByRole('heading', { name: 'Job page' });
    expect(seen.filter((r) => r.method === 'POST' && r.path === '/api/v1/nodes/n1/configure')).toHaveLength(1);
    expect(again.filter((r) => r.method === 'POST' && r.path === '/api/v1/nodes/n1/configure')).toHaveLength(1);
  });

  it('with no server role yet, links an operator to the page that creates one', async () => {
    signIn('operator');
    setup(node('n1', 'web-1', null));
    renderAt('/nodes/n1', <><Route path="/nodes/:id" element={<NodeDetailPage />} /><Route path="/configuration/roles/new" element={<h1>New role page</h1>} /></>);
    const create = await within(await screen.findByRole('region', { name: 'Configuration' })).findByRole('link', { name: 'create one' });
    expect(section('Configuration').textContent).toContain('There are no server roles yet');
    expect(section('Configuration').textContent).not.toContain('/api/v1/');
    fireEvent.click(create);
    await screen.findByRole('heading', { name: 'New role page' });
  });

  it('shows observers the role and mode without any control', async () => {
    signIn('observer');
    setup(node('n1', 'web-1', { id: 'ag1', state: 'disconnected', since: ago(80) }), { roles: [role('r1', 'web', 'push', ['n1'])] });
    renderDetail('n1');
    await screen.findByRole('heading', { name: 'Configuration' });
    await waitFor(() => expect(section('Configuration').querySelector('dd')!.textContent).toBe('web'));
    expect(section('Agent').textContent).toContain('disconnected 1 hour ago');
    expect(screen.queryByRole('button', { name: /Configure|Remove role|Assign role|Revoke|Create join token/ })).toBeNull();
    expect(screen.queryByRole('form')).toBeNull();
  });
});
