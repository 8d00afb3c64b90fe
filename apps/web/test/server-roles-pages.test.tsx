import { cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseObject, ServerRoleFormPage } from '../src/pages/server-role-form-page.js';
import { ServerRolePage } from '../src/pages/server-role-page.js';
import { ServerRolesPage } from '../src/pages/server-roles-page.js';
import { fakeApi, signIn, type FakeAnswer, type FakeRequest } from './fake-api.js';
import { renderAt } from './render-at.js';

const node = (id: string, name: string) => ({
  id, providerId: 'p1', providerNodeId: id, name, state: 'running', publicIps: ['10.0.0.9'], privateIps: [], imageId: null, sizeId: null, locationId: null, extra: {}, tags: [], facts: null,
  createdBy: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', destroyedBy: null, destroyedAt: null, decommissionedAt: null, configMode: null, agent: null,
});
const ROLE = {
  id: 'r1', name: 'web', providerId: 'p1', locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12', runList: ['role[web]'], attributes: { nginx: { port: 8080 } },
  secretAttributeKeys: ['mysql.root_password'], environment: 'staging', cm: { kind: 'chef-solo', settings: { sudo: true } }, ssh: { username: 'deploy', port: 22, hasPrivateKey: true },
  configMode: 'push', convergeIntervalSeconds: null, convergeSplaySeconds: 0, nodeIds: ['n1', 'n2'], createdBy: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
};
const KITCHEN = { uploaded: true, roles: [{ name: 'web', description: null, runList: [] }], recipes: [{ name: 'nginx', cookbook: 'nginx', description: null, dependencies: [] }], environments: [{ name: 'staging', description: null }], problems: [] };
const catalog = (items: { id: string; name: string }[]) => ({ status: 200, body: { items: items.map((i) => ({ ...i, data: {}, favourite: false })), page: 1, limit: 200, total: items.length } });

/** The fake API of these pages; `first` may answer a request before it (a refusal, say). */
function setup(first: (req: FakeRequest) => FakeAnswer | undefined = () => undefined) {
  const nodes = [node('n1', 'web-1'), node('n2', 'web-2')];
  return fakeApi((req: FakeRequest) => {
    const early = first(req);
    if (early) return early;
    const one = nodes.find((n) => req.path === `/api/v1/nodes/${n.id}`);
    if (one) return { status: 200, body: one };
    if (req.method === 'GET' && req.path === '/api/v1/server-roles') return { status: 200, body: { items: [ROLE], page: 1, limit: 200, total: 1 } };
    if (req.method === 'GET' && req.path === '/api/v1/server-roles/r1') return { status: 200, body: ROLE };
    if (req.method === 'POST' && req.path === '/api/v1/server-roles') return { status: 201, body: { ...ROLE, ...(req.body as object), id: 'r1' } };
    if (req.method === 'PATCH' && req.path === '/api/v1/server-roles/r1') return { status: 200, body: { ...ROLE, ...(req.body as object) } };
    if (req.method === 'DELETE' && req.path === '/api/v1/server-roles/r1') return { status: 204 };
    if (req.method === 'POST' && req.path === '/api/v1/server-roles/r1/nodes') {
      const count = (req.body as { count: number }).count;
      return { status: 202, body: { jobs: Array.from({ length: count }, (_, i) => ({ id: `jc${i}`, type: 'node.create', targetId: `new-${i}`, state: 'queued' })) } };
    }
    if (req.method === 'POST' && req.path === '/api/v1/server-roles/r1/apply') return { status: 202, body: { id: 'japply', type: 'server-role.apply', state: 'queued' } };
    if (req.path === '/api/v1/providers') return { status: 200, body: { items: [{ id: 'p1', name: 'lab', type: 'dummy' }], page: 1, limit: 200, total: 1 } };
    if (req.path === '/api/v1/providers/p1') return { status: 200, body: { id: 'p1', name: 'lab', type: 'dummy' } };
    if (req.path === '/api/v1/providers/p1/locations') return catalog([{ id: 'lab-1', name: 'Lab 1' }]);
    if (req.path === '/api/v1/providers/p1/sizes') return catalog([{ id: 'small', name: 'Small' }]);
    if (req.path === '/api/v1/providers/p1/images') return catalog([{ id: 'debian-12', name: 'Debian 12' }]);
    if (req.path === '/api/v1/kitchen') return { status: 200, body: KITCHEN };
    return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
  });
}

const routes = (
  <>
    <Route path="/configuration/roles" element={<ServerRolesPage />} />
    <Route path="/configuration/roles/new" element={<ServerRoleFormPage />} />
    <Route path="/configuration/roles/:id" element={<ServerRolePage />} />
    <Route path="/configuration/roles/:id/edit" element={<ServerRoleFormPage />} />
    <Route path="/jobs/:id" element={<h1>Job page</h1>} />
  </>
);
const posts = (seen: FakeRequest[], path: string) => seen.filter((r) => r.method !== 'GET' && r.path === path).map((r) => r.body);
async function choose(label: RegExp, option: string | RegExp) {
  fireEvent.click(screen.queryByRole('combobox', { name: label }) ?? screen.getByRole('textbox', { name: label }));
  fireEvent.click(await screen.findByRole('option', { name: option, hidden: true }));
}

configure({ asyncUtilTimeout: 10_000 });
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the server roles list', () => {
  it('shows each role with its machine type, run list and the nodes that run it', async () => {
    signIn('observer');
    setup();
    renderAt('/configuration/roles', routes);
    const table = await screen.findByRole('table', { name: 'Server roles' });
    const row = within(table).getAllByRole('row')[1]!;
    expect(within(row).getByRole('link', { name: 'web' }).getAttribute('href')).toBe('/configuration/roles/r1');
    expect(row.textContent).toContain('lab-1 / small / debian-12');
    expect(await within(row).findByRole('link', { name: 'web-2' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'New server role' })).toBeNull();
  });
});

describe('a server role', () => {
  it('creates N nodes from it, lists its nodes, and re-applies it to all of them (opening the job with the live log)', async () => {
    signIn('operator');
    const seen = setup();
    renderAt('/configuration/roles/r1', routes);
    const members = await screen.findByRole('table', { name: 'Nodes of this role' });
    await within(members).findByRole('link', { name: 'web-1' });
    expect(screen.getByText('mysql.root_password')).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'Nodes to create' }), { target: { value: '3' } });
    fireEvent.change(screen.getByLabelText('Name prefix'), { target: { value: 'web-eu' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    const status = await screen.findByText(/3 nodes queued/);
    expect(within(status).getByRole('link', { name: 'node 3' }).getAttribute('href')).toBe('/nodes/new-2');
    expect(posts(seen, '/api/v1/server-roles/r1/nodes')).toEqual([{ count: 3, namePrefix: 'web-eu' }]);
    fireEvent.click(screen.getByRole('button', { name: 'Re-apply to all 2' }));
    await screen.findByRole('heading', { name: 'Job page' });
    expect(seen.find((r) => r.path === '/api/v1/server-roles/r1/apply')!.query).toEqual({ concurrency: 5 });
  });

  it('deletes it after a confirmation', async () => {
    signIn('operator');
    const seen = setup();
    renderAt('/configuration/roles/r1', routes);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete role' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, delete role' }));
    await screen.findByRole('table', { name: 'Server roles' });
    expect(seen.some((r) => r.method === 'DELETE' && r.path === '/api/v1/server-roles/r1')).toBe(true);
  });
});

describe('the server role form', () => {
  it('reads attributes as a JSON object or says why not', () => {
    expect(parseObject('{ "a": 1 }')).toEqual({ value: { a: 1 } });
    expect(parseObject('')).toEqual({ value: {} });
    expect(parseObject('[1]').error).toMatch(/JSON object/);
    expect(parseObject('{ "a": ').error).toMatch(/^Not valid JSON/);
  });

  it('creates a role: machine type from the catalog, run list from the kitchen, attributes that must be valid JSON', async () => {
    signIn('operator');
    const seen = setup();
    renderAt('/configuration/roles/new', routes);
    fireEvent.change(await screen.findByRole('textbox', { name: /^Name/ }), { target: { value: 'api' } });
    await choose(/^Provider/, 'lab');
    await choose(/^Location/, 'Lab 1');
    await choose(/^Size/, /^Small/);
    await choose(/^Image/, 'Debian 12');
    fireEvent.click(screen.queryByRole('combobox', { name: /^Run list/ }) ?? screen.getByRole('textbox', { name: /^Run list/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'recipe[nginx]', hidden: true }));
    fireEvent.click(await screen.findByRole('option', { name: 'role[web]', hidden: true }));
    fireEvent.change(screen.getByRole('textbox', { name: /^Attributes/ }), { target: { value: '{ "nginx": ' } });
    expect(screen.getByText(/^Not valid JSON/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Create role' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByRole('textbox', { name: /^Attributes/ }), { target: { value: '{ "nginx": { "port": 81 } }' } });
    fireEvent.change(screen.getByRole('textbox', { name: /^SSH private key/ }), { target: { value: 'PRIVATE-KEY-TEXT-0123456789-0123456789' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a secret attribute' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Secret attribute 1 path' }), { target: { value: 'mysql.root_password' } });
    fireEvent.change(screen.getByLabelText('Secret attribute 1 value'), { target: { value: 's3cret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create role' }));
    await screen.findByRole('heading', { name: 'web' });
    expect(posts(seen, '/api/v1/server-roles')).toEqual([{
      name: 'api', providerId: 'p1', locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12', runList: ['recipe[nginx]', 'role[web]'],
      attributes: { nginx: { port: 81 } }, environment: null, cm: { kind: 'chef-solo', settings: {} }, configMode: 'push', convergeIntervalSeconds: null,
      ssh: { username: 'root', port: 22, privateKey: 'PRIVATE-KEY-TEXT-0123456789-0123456789' }, secretAttributes: { 'mysql.root_password': 's3cret' },
    }]);
  });

  it('edits a role without sending its stored key again', async () => {
    signIn('operator');
    const seen = setup();
    renderAt('/configuration/roles/r1/edit', routes);
    const name = await screen.findByRole('textbox', { name: /^Name/ });
    expect((name as HTMLInputElement).value).toBe('web');
    fireEvent.change(screen.getByRole('textbox', { name: /^Attributes/ }), { target: { value: '{ "nginx": { "port": 9090 } }' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save role' }));
    await waitFor(() => expect(posts(seen, '/api/v1/server-roles/r1')).toHaveLength(1));
    const sent = posts(seen, '/api/v1/server-roles/r1')[0] as Record<string, unknown>;
    expect(sent).toMatchObject({ name: 'web', runList: ['role[web]'], attributes: { nginx: { port: 9090 } }, environment: 'staging', cm: { kind: 'chef-solo', settings: { sudo: true } } });
    expect(sent).not.toHaveProperty('ssh');
    expect(sent).not.toHaveProperty('providerId');
    expect(sent).not.toHaveProperty('secretAttributes');
  });

  it('sets, replaces and removes secret attributes without ever showing a stored value', async () => {
    signIn('operator');
    const seen = setup();
    renderAt('/configuration/roles/r1/edit', routes);
    const storedPath = await screen.findByRole('textbox', { name: 'Secret attribute 1 path' });
    expect((storedPath as HTMLInputElement).value).toBe('mysql.root_password');
    expect((storedPath as HTMLInputElement).readOnly).toBe(true);
    const storedValue = screen.getByLabelText('Secret attribute 1 value') as HTMLInputElement;
    expect(storedValue.value).toBe('');
    expect(storedValue.type).toBe('password');
    fireEvent.change(storedValue, { target: { value: 'rotated' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a secret attribute' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Secret attribute 2 path' }), { target: { value: 'app.api_token' } });
    fireEvent.change(screen.getByLabelText('Secret attribute 2 value'), { target: { value: 'tok-123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save role' }));
    await waitFor(() => expect(posts(seen, '/api/v1/server-roles/r1')).toHaveLength(1));
    expect((posts(seen, '/api/v1/server-roles/r1')[0] as Record<string, unknown>).secretAttributes).toEqual({ 'mysql.root_password': 'rotated', 'app.api_token': 'tok-123' });

    cleanup();
    const again = setup();
    renderAt('/configuration/roles/r1/edit', routes);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Remove' }));
    expect((screen.getByLabelText('Secret attribute 1 value') as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Save role' }));
    await waitFor(() => expect(posts(again, '/api/v1/server-roles/r1')).toHaveLength(1));
    expect((posts(again, '/api/v1/server-roles/r1')[0] as Record<string, unknown>).secretAttributes).toEqual({ 'mysql.root_password': null });
  });

  it('shows the API\'s refusal of a secret attribute at its path', async () => {
    signIn('operator');
    setup((req) => req.method === 'PATCH'
      ? { status: 422, body: { status: 422, title: 'Unprocessable', detail: 'secret attributes conflict with attributes', errors: [{ field: 'body.secretAttributes.nginx.port', message: 'is also a plain attribute, which every observer can read' }] } }
      : undefined);
    renderAt('/configuration/roles/r1/edit', routes);
    fireEvent.click(await screen.findByRole('button', { name: 'Add a secret attribute' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Secret attribute 2 path' }), { target: { value: 'nginx.port' } });
    fireEvent.change(screen.getByLabelText('Secret attribute 2 value'), { target: { value: '443' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save role' }));
    expect(await screen.findByText('is also a plain attribute, which every observer can read')).toBeTruthy();
  });
});
