/**
 * A rack's default logins go only to the networks its settings name: a registration that would need
 * them anywhere else is refused before anything is stored or sent; widening the networks needs the
 * credentials again.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { dedicatedPlugin } from '@overmind/baremetal';
import { startSshd, type SshdFixture } from '@overmind/ssh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderView } from './support/provider-steps.js';
import { createTestApp, waitForJob, waitForJobs, type TestApp } from './support/test-app.js';

let t: TestApp;
let sshd: SshdFixture;

beforeAll(async () => {
  [t, sshd] = await Promise.all([createTestApp({ plugins: [dedicatedPlugin] }), startSshd()]);
});
afterAll(async () => {
  await t?.close();
  await sshd?.stop();
});

const patch = (id: string, payload: object) => t.request('operator', { method: 'PATCH', url: `/api/v1/providers/${id}`, payload });

/** A TCP listener that records who connected and hangs up on them: where a secret would have gone. */
async function listener(): Promise<{ port: number; connections: string[]; close(): Promise<void> }> {
  const connections: string[] = [];
  const server: Server = createServer((socket) => {
    connections.push(String(socket.remoteAddress));
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('rack default logins', () => {
  const registerBody = (name: string, registration: object) => ({ name, registration });
  let rack: ProviderView;
  const defaults = () => ({ sshUsername: sshd.username, sshPrivateKey: sshd.privateKey, bmcUsername: 'admin', bmcPassword: 'rack-bmc-pw-1' });

  beforeAll(async () => {
    const res = await t.request('operator', {
      method: 'POST',
      url: '/api/v1/providers',
      payload: { name: 'rack-scoped', type: 'dedicated', credentials: defaults(), settings: { connectTimeoutMs: 3000, bmcTimeoutMs: 3000, bmcRetries: 0, defaultCredentialNetworks: ['10.0.0.0/8'] } },
    });
    expect(res.statusCode, res.body).toBe(201);
    rack = res.json();
    await waitForJobs(t, { target: rack.id }, 2);
  });

  it('are not sent to an address outside defaultCredentialNetworks, nor to a host name: 422, nothing stored, nothing connects', async () => {
    const watcher = await listener();
    try {
      const before = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes?providerId=${rack.id}` })).json().total;
      const cases: [object, RegExp][] = [
        [{ address: '127.0.0.1', ssh: { port: watcher.port } }, /^Invalid node registration: ssh\.privateKey or ssh\.password is required: .*defaultCredentialNetworks \(10\.0\.0\.0\/8\), and 127\.0\.0\.1 is not one$/],
        [{ address: 'localhost', ssh: { port: watcher.port } }, /and localhost is not one$/],
        [{ address: '10.0.0.7', ssh: { password: 'own-pw' }, bmc: { type: 'ipmi', address: '127.0.0.1', port: watcher.port } }, /bmc\.password is required: .*127\.0\.0\.1 is not one$/],
        [{ address: '10.0.0.7', ssh: { password: 'own-pw' }, bmc: { type: 'redfish', url: `https://127.0.0.1:${watcher.port}` } }, /bmc\.password is required: .*127\.0\.0\.1 is not one$/],
      ];
      for (const [registration, message] of cases) {
        const res = await t.request('operator', { method: 'POST', url: `/api/v1/providers/${rack.id}/nodes`, payload: registerBody('metal-far', registration) });
        expect(res.statusCode, res.body).toBe(422);
        expect(res.json().detail).toMatch(message);
        expect(res.json().errors).toEqual([{ field: 'body.registration', message: expect.stringMatching(message) }]);
        expect(res.body).not.toContain('rack-bmc-pw-1');
      }
      expect((await t.request('observer', { method: 'GET', url: `/api/v1/nodes?providerId=${rack.id}` })).json().total).toBe(before);
      expect(watcher.connections).toEqual([]);
    } finally {
      await watcher.close();
    }
  });

  it('widening their networks needs the credentials again; then a node in scope logs in with them', async () => {
    const settings = { connectTimeoutMs: 3000, bmcTimeoutMs: 3000, bmcRetries: 0, defaultCredentialNetworks: ['10.0.0.0/8', '127.0.0.0/8'] };
    const refused = await patch(rack.id, { settings });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().errors).toEqual([{ field: 'body.credentials', message: 'are required when settings.defaultCredentialNetworks changes' }]);

    const widened = await patch(rack.id, { settings, credentials: defaults() });
    expect(widened.statusCode, widened.body).toBe(200);
    const res = await t.request('operator', { method: 'POST', url: `/api/v1/providers/${rack.id}/nodes`, payload: registerBody('metal-near', { address: sshd.host, ssh: { port: sshd.port } }) });
    expect(res.statusCode, res.body).toBe(202);
    const job = await waitForJob(t, res.json().id, 30_000);
    expect(job, job.error ?? '').toMatchObject({ state: 'succeeded', result: { hostKeyFingerprint: sshd.hostKeyFingerprint } });
  });
});
