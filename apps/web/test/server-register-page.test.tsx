import { cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseServerList } from '../src/components/server-list.js';
import { ServerRegisterPage } from '../src/pages/server-register-page.js';
import { fakeApi, problem, signIn, type FakeRequest } from './fake-api.js';
import { renderAt } from './render-at.js';

// The dedicated type's registration schema, as GET /provider-types gives it (trimmed to what the form shows).
const registrationSchema = {
  type: 'object', required: ['address'],
  properties: {
    address: { type: 'string', title: 'SSH address (IP or host name)' },
    ssh: { type: 'object', properties: {
      port: { type: 'integer', minimum: 1, maximum: 65535, default: 22 },
      username: { type: 'string' },
      privateKey: { type: 'string', maxLength: 16384, writeOnly: true, title: 'Private key (OpenSSH or PEM)' },
      passphrase: { type: 'string', maxLength: 1024, writeOnly: true, title: 'Key passphrase' },
      password: { type: 'string', maxLength: 1024, writeOnly: true, title: 'Password' },
      hostKeyFingerprint: { type: 'string', title: 'Expected host key (pinned on first use when absent)' },
    } },
    bmc: { oneOf: [
      { type: 'object', required: ['type', 'address'], properties: { type: { const: 'ipmi' }, address: { type: 'string', title: 'BMC address' }, password: { type: 'string', maxLength: 20, writeOnly: true, title: 'IPMI password' } } },
      { type: 'object', required: ['type', 'url'], properties: { type: { const: 'redfish' }, url: { type: 'string', title: 'BMC URL, e.g. https://10.0.0.5' } } },
    ] },
  },
};

function setup(register: (req: FakeRequest) => { status: number; body?: unknown; requestId?: string } = () => ({ status: 202, body: { id: 'j1', targetId: 'n9', type: 'node.register', state: 'queued' } })) {
  return fakeApi((req) => {
    if (req.path === '/api/v1/providers') return { status: 200, body: { items: [{ id: 'p1', name: 'rack', type: 'dedicated' }, { id: 'p2', name: 'cloud', type: 'dummy' }], page: 1, limit: 200, total: 2 } };
    if (req.path === '/api/v1/provider-types') {
      return { status: 200, body: { items: [
        { kind: 'dedicated', displayName: 'Dedicated', capabilities: ['registerNode'], credentialSchema: {}, settingsSchema: {}, endpointSettings: [], registrationSchema },
        { kind: 'dummy', displayName: 'Dummy', capabilities: ['createNode'], credentialSchema: {}, settingsSchema: {}, endpointSettings: [] },
      ] } };
    }
    if (req.method === 'POST' && req.path === '/api/v1/providers/p1/nodes') return register(req);
    return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
  });
}

const renderPage = (path = '/servers/register') =>
  renderAt(path, <><Route path="/servers/register" element={<ServerRegisterPage />} /><Route path="/nodes/:id" element={<h1>Node page</h1>} /></>);
const type = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

// Wide margins for a busy machine: names and jobs arrive through several requests.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('registering one server', () => {
  it('builds the form from the schema: key or password, an optional BMC; sends the nested registration and opens the node', async () => {
    signIn('operator');
    const seen = setup();
    renderPage();
    // The only provider that registers servers is chosen; the cloud one is not offered.
    await screen.findByLabelText(/SSH address/);
    expect(screen.queryByLabelText(/^Password/, { selector: 'input[type=password]' })).toBeNull();
    expect(screen.getByText('SSH host key pinning')).toBeTruthy();
    type(/^Name/, 'metal-1');
    type(/SSH address/, '10.0.0.5');
    type(/^Port/, '2222');
    type(/^Username/, 'admin');
    type(/Private key/, '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----');
    fireEvent.click(screen.getByRole('radio', { name: 'IPMI' }));
    type(/BMC address/, '10.0.1.5');
    type(/IPMI password/, 'bmc-secret');
    fireEvent.click(screen.getByRole('button', { name: 'Register server' }));
    await screen.findByRole('heading', { name: 'Node page' });
    const sent = seen.find((r) => r.method === 'POST')!;
    expect(sent.headers['idempotency-key']).toMatch(/.{16,}/);
    expect(sent.body).toEqual({
      name: 'metal-1',
      registration: {
        address: '10.0.0.5',
        ssh: { port: 2222, username: 'admin', privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----' },
        bmc: { type: 'ipmi', address: '10.0.1.5', password: 'bmc-secret' },
      },
    });
  });

  it('logs in with a password instead of a key, and shows the API refusal at the field', async () => {
    signIn('operator');
    const seen = setup(() => problem(422, 'body.registration.ssh.port must be >= 1', 'req-42', [{ field: 'body.registration.ssh.port', message: 'must be >= 1' }]));
    renderPage();
    await screen.findByLabelText(/SSH address/);
    fireEvent.click(screen.getByRole('radio', { name: 'Password' }));
    expect(screen.queryByLabelText(/Private key/)).toBeNull();
    type(/^Name/, 'metal-2');
    type(/SSH address/, '10.0.0.6');
    fireEvent.change(screen.getByLabelText(/^Password/, { selector: 'input[type=password]' }), { target: { value: 'hunter2-long' } });
    fireEvent.click(screen.getByRole('button', { name: 'Register server' }));
    await screen.findByText('req-42');
    expect(screen.getByText('must be >= 1')).toBeTruthy();
    expect(seen.find((r) => r.method === 'POST')!.body).toEqual({ name: 'metal-2', registration: { address: '10.0.0.6', ssh: { password: 'hunter2-long' } } });
  });
});

describe('with no provider that registers servers', () => {
  it('says which type to add, with a link to the providers page', async () => {
    signIn('operator');
    fakeApi((req) => {
      if (req.path === '/api/v1/providers') return { status: 200, body: { items: [{ id: 'p2', name: 'cloud', type: 'dummy' }], page: 1, limit: 200, total: 1 } };
      if (req.path === '/api/v1/provider-types') {
        return { status: 200, body: { items: [
          { kind: 'dedicated', displayName: 'Dedicated servers', capabilities: ['registerNode'], credentialSchema: {}, settingsSchema: {}, endpointSettings: [], registrationSchema },
          { kind: 'dummy', displayName: 'Dummy', capabilities: ['createNode'], credentialSchema: {}, settingsSchema: {}, endpointSettings: [] },
        ] } };
      }
      return { status: 404, body: { status: 404, detail: `no fake for ${req.method} ${req.path}` } };
    });
    renderAt('/servers/register', <><Route path="/servers/register" element={<ServerRegisterPage />} /><Route path="/providers" element={<h1>Providers page</h1>} /></>);
    const link = await screen.findByRole('link', { name: 'add a provider' });
    expect(link.closest('p')!.textContent!.replace(/\s+/g, ' ')).toBe('No provider registers existing servers yet: first add a provider of type Dedicated servers.');
    expect(screen.queryByLabelText('Provider')).toBeNull();
    fireEvent.click(link);
    await screen.findByRole('heading', { name: 'Providers page' });
  });
});

describe('registering a list of servers', () => {
  it('parses a header and rows; bad rows are named and not sent', () => {
    const { rows } = parseServerList('name,address,port,bmc_type,bmc_address,tags\nweb-1,10.0.0.1,22,ipmi,10.0.1.1,rack-a web\nweb-2,,22\nweb-3,10.0.0.3,99999\nweb-4,10.0.0.4,,foo,x', { privateKey: 'KEY', bmcPassword: 'BMCPW' });
    expect(rows[0]).toEqual({ line: 2, name: 'web-1', tags: ['rack-a', 'web'], registration: { address: '10.0.0.1', ssh: { port: 22, privateKey: 'KEY' }, bmc: { type: 'ipmi', address: '10.0.1.1', password: 'BMCPW' } } });
    expect(rows.slice(1).map((r) => r.error)).toEqual(['address is missing', 'port 99999 is not 1-65535', 'bmc_type must be ipmi or redfish, not foo']);
    expect(parseServerList('host,address\nx,y', {}).error).toMatch(/unknown column host/);
  });

  it("sends each row with the shared key and shows each row's result; sending again retries only the refused ones", async () => {
    signIn('operator');
    let refuse = true;
    const seen = setup((req) => {
      const name = (req.body as { name: string }).name;
      if (name === 'db-2' && refuse) return problem(409, 'A node named db-2 exists', 'req-db2');
      return { status: 202, body: { id: `job-${name}`, targetId: `node-${name}`, type: 'node.register', state: 'queued' } };
    });
    renderPage('/servers/register?tab=bulk');
    const list = await screen.findByLabelText(/^Servers/);
    fireEvent.change(list, { target: { value: 'name,address,username\ndb-1,10.0.0.1,admin\ndb-2,10.0.0.2,admin\ndb-3,,admin' } });
    type('SSH private key', 'SHARED-KEY');
    fireEvent.click(screen.getByRole('button', { name: 'Register 2 servers' }));
    const table = screen.getByRole('table', { name: 'Servers to register' });
    await waitFor(() => expect(within(table).getByText(/A node named db-2 exists/)).toBeTruthy());
    const row = (line: number) => table.querySelector(`[data-line="${line}"]`)!;
    expect(within(row(2) as HTMLElement).getByText('queued')).toBeTruthy();
    expect(within(row(2) as HTMLElement).getByRole('link', { name: 'node' }).getAttribute('href')).toBe('/nodes/node-db-1');
    expect(row(4).textContent).toContain('Not sent: address is missing');
    const posts = () => seen.filter((r) => r.method === 'POST');
    expect(posts().map((r) => r.body)).toEqual([
      { name: 'db-1', registration: { address: '10.0.0.1', ssh: { username: 'admin', privateKey: 'SHARED-KEY' } } },
      { name: 'db-2', registration: { address: '10.0.0.2', ssh: { username: 'admin', privateKey: 'SHARED-KEY' } } },
    ]);
    refuse = false;
    fireEvent.click(screen.getByRole('button', { name: 'Send the 1 not queued' }));
    await waitFor(() => expect(within(row(3) as HTMLElement).getByText('queued')).toBeTruthy());
    expect(posts().map((r) => (r.body as { name: string }).name)).toEqual(['db-1', 'db-2', 'db-2']);
    // The retried row keeps its idempotency key.
    expect(posts()[2]!.headers['idempotency-key']).toBe(posts()[1]!.headers['idempotency-key']);
  });
});
