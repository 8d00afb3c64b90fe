/**
 * Where stored secrets may go: an endpoint setting changes only with the credentials sent again, and
 * a failed check shows a status, never the page that answered at the address.
 */
import { digitaloceanPlugin } from '@overmind/driver-digitalocean';
import { openstackPlugin } from '@overmind/driver-openstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDoReplay, TOKEN, type DoReplay } from '../../../packages/driver-digitalocean/test/do-replay.js';
import { PASSWORD, passwordCredentials, startOsReplay, type OsReplay } from '../../../packages/driver-openstack/test/os-replay.js';
import { createProviderRegistry } from '../src/modules/providers/provider-registry.js';
import { registerProvider, type ProviderView } from './support/provider-steps.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let doHome: DoReplay;
let doElsewhere: DoReplay;
let osHome: OsReplay;
let osElsewhere: OsReplay;

beforeAll(async () => {
  [t, doHome, doElsewhere, osHome, osElsewhere] = await Promise.all([
    createTestApp({ plugins: [digitaloceanPlugin, openstackPlugin] }),
    startDoReplay(),
    startDoReplay(),
    startOsReplay(),
    startOsReplay(),
  ]);
});
afterAll(async () => {
  await t?.close();
  await Promise.all([doHome, doElsewhere, osHome, osElsewhere].map((r) => r?.server.close()));
});

const doSettings = (apiUrl: string) => ({ apiUrl, pollIntervalMs: 10, perPage: 2 });
const osSettings = (r: OsReplay) => ({ authUrl: `${r.server.url}/identity/v3`, pollIntervalMs: 10, requestTimeoutMs: 2000, pageSize: 2 });
const patch = (role: 'operator' | 'admin', id: string, payload: object) =>
  t.request(role, { method: 'PATCH', url: `/api/v1/providers/${id}`, payload });
const stored = async (id: string) => (await t.request('observer', { method: 'GET', url: `/api/v1/providers/${id}` })).json() as ProviderView;

describe('endpoint settings', () => {
  it('every provider type declares its address-like settings as endpoint settings', async () => {
    // Reviewed exceptions: names that look like addresses but send nothing of ours anywhere.
    const notEndpoints: Record<string, string[]> = {
      // The libvirt URI is read on the hypervisor; network is a libvirt network's name; addressSource
      // says where virsh looks up guest addresses.
      libvirt: ['uri', 'network', 'addressSource'],
      openstack: ['networkIds', 'floatingNetworkId'], // Neutron networks (by id) for new servers and their floating IPs, not addresses
    };
    const registry = createProviderRegistry();
    for (const kind of registry.kinds) {
      const plugin = await registry.get(kind);
      const properties = (plugin.settingsSchema.properties ?? {}) as Record<string, { format?: string }>;
      const addressLike = Object.entries(properties)
        .filter(([key, schema]) => schema.format === 'uri' || /url|uri|host|endpoint|address|port|network|fingerprint/i.test(key))
        .map(([key]) => key)
        .filter((key) => !(notEndpoints[kind] ?? []).includes(key));
      expect([...plugin.endpointSettings].sort(), kind).toEqual(addressLike.sort());
    }
    const types = (await t.request('observer', { method: 'GET', url: '/api/v1/provider-types' })).json().items as { kind: string; endpointSettings: string[] }[];
    expect(types.find((p) => p.kind === 'digitalocean')!.endpointSettings).toEqual(['apiUrl']);
  });

  it('DigitalOcean: a new apiUrl without the token is refused (422, even for an admin) and nothing reaches it', async () => {
    const { provider } = await registerProvider(t, { name: 'do-moving', type: 'digitalocean', credentials: { token: TOKEN }, settings: doSettings(doHome.server.url) });
    for (const role of ['operator', 'admin'] as const) {
      const res = await patch(role, provider.id, { settings: doSettings(doElsewhere.server.url) });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().detail).toBe('Changing settings.apiUrl changes where DigitalOcean credentials are sent: send the credentials again in the same request');
      expect(res.json().errors).toEqual([{ field: 'body.credentials', message: 'are required when settings.apiUrl changes' }]);
    }
    expect(doElsewhere.server.requests).toEqual([]);
    expect((await stored(provider.id)).settings.apiUrl).toBe(doHome.server.url);

    // Other settings still change without the token (checked at the same address)...
    const tuned = await patch('operator', provider.id, { settings: { ...doSettings(doHome.server.url), pollIntervalMs: 20 } });
    expect(tuned.statusCode, tuned.body).toBe(200);
    expect(tuned.json().settings).toMatchObject({ apiUrl: doHome.server.url, pollIntervalMs: 20 });
    // ...and leaving apiUrl out is a change too (back to the default, the public API): refused.
    const dropped = await patch('operator', provider.id, { settings: { pollIntervalMs: 20 } });
    expect(dropped.statusCode, dropped.body).toBe(422);

    // With the token in the same request, it moves; only the token sent goes there.
    const moved = await patch('operator', provider.id, { settings: doSettings(doElsewhere.server.url), credentials: { token: 'dop_v1_for-the-new-address' } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(doElsewhere.server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer dop_v1_for-the-new-address']);
  });

  it('OpenStack: a new authUrl without the password is refused and Keystone there hears nothing', async () => {
    const { provider } = await registerProvider(t, { name: 'os-moving', type: 'openstack', credentials: passwordCredentials, settings: osSettings(osHome) });
    const res = await patch('operator', provider.id, { settings: osSettings(osElsewhere) });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().errors).toEqual([{ field: 'body.credentials', message: 'are required when settings.authUrl changes' }]);
    expect(osElsewhere.server.requests).toEqual([]);
    expect(osElsewhere.tokens).toEqual([]);

    const moved = await patch('operator', provider.id, { settings: osSettings(osElsewhere), credentials: passwordCredentials });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(osElsewhere.server.requestsTo('POST', '/identity/v3/auth/tokens').map((r) => (r.json as { auth: { identity: { password: { user: { password: string } } } } }).auth.identity.password.user.password)).toEqual([PASSWORD]);
  });
});

describe('errors from the address a user gave', () => {
  it('a failed check answers with the status, never the page that answered', async () => {
    const intranet = '<html><body><h1>Intranet</h1>backup password: hunter2</body></html>';
    for (const [status, code] of [[404, 502], [500, 502], [401, 422]] as const) {
      doElsewhere.server.override('GET', '/v2/account', { status, text: intranet, headers: { 'content-type': 'text/html' } }, { times: 1 });
      const res = await t.request('operator', {
        method: 'POST',
        url: '/api/v1/providers',
        payload: { name: `do-probe-${status}`, type: 'digitalocean', credentials: { token: TOKEN }, settings: doSettings(doElsewhere.server.url) },
      });
      expect(res.statusCode, res.body).toBe(code);
      expect(res.body).not.toMatch(/Intranet|hunter2|html/);
      expect(res.json().detail).toMatch(new RegExp(`DigitalOcean GET /v2/account failed \\(${status} [A-Za-z ]+\\)$`));
    }
  });
});
