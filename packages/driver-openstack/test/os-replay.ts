import { createHash } from 'node:crypto';
import { ReplayServer, type ReplayRequest, type ReplayResponse } from '@overmind/testkit';
import {
  openstackPlugin,
  type OpenStackCredentials,
  type OpenStackDriver,
  type OpenStackPasswordCredentials,
  type OpenStackSettings,
} from '../src/index.js';
import type { KsTokenResponse, NeutronFloatingIp, NeutronNetwork, NovaError, NovaKeypair, NovaServer } from '../src/index.js';

export const PASSWORD = 's3cret-Pa55word';
export const APP_SECRET = 'app-cred-secret-0123456789';
export const passwordCredentials: OpenStackPasswordCredentials = {
  authType: 'password',
  username: 'overmind',
  password: PASSWORD,
  userDomainName: 'Default',
  projectName: 'web',
  projectDomainName: 'Default',
};
export const COMPUTE = '/compute/v2.1';
export const NETWORK = '/network/v2.0';

type Server = NovaServer & { fault?: { message: string; code: number } };

/** What each server action does in the fake: status while it runs, task, and the status it ends in. */
const ACTIONS: Record<string, { during: string; task: string; final: string }> = {
  'reboot:SOFT': { during: 'REBOOT', task: 'reboot_started', final: 'ACTIVE' },
  'reboot:HARD': { during: 'HARD_REBOOT', task: 'reboot_started_hard', final: 'ACTIVE' },
  'os-start': { during: 'SHUTOFF', task: 'powering-on', final: 'ACTIVE' },
  'os-stop': { during: 'ACTIVE', task: 'powering-off', final: 'SHUTOFF' },
};

/** A replayed OpenStack cloud (Keystone, Nova, Glance) whose state tests may inspect or change. */
export interface OsReplay {
  server: ReplayServer;
  driver: OpenStackDriver;
  servers: Map<string, Server>;
  keypairs: NovaKeypair[];
  /** Tokens Keystone issued, oldest first; revoking one makes Nova and Glance answer 401 to it. */
  tokens: string[];
  revoked: Set<string>;
  tokenTtlMs: number;
  /** GET polls of a server that still show the action running. */
  pollsBeforeDone: number;
  /** Status an action ends in, when a test wants it to fail (e.g. ERROR). */
  actionOutcome: string | null;
  /** Networks Neutron lists (the fixture's project network and external network to start with). */
  networks: NeutronNetwork[];
  /** Whether Neutron has the auto-allocated-topology extension. */
  autoAllocate: boolean;
  floatingIps: Map<string, NeutronFloatingIp>;
  makeDriver(settings?: Partial<OpenStackSettings>, credentials?: OpenStackCredentials): OpenStackDriver;
}

function fingerprint(publicKey: string): string {
  const digest = createHash('md5').update(Buffer.from(publicKey.split(' ')[1] ?? '', 'base64')).digest('hex');
  return digest.replace(/(..)(?!$)/g, '$1:');
}

export async function startOsReplay(settings: Partial<OpenStackSettings> = {}): Promise<OsReplay> {
  const server = await ReplayServer.start({ fixturesDir: new URL('./fixtures/', import.meta.url), slowMs: 400 });
  const errors = server.fixture<Record<string, NovaError>>('errors.json');
  const fail = (name: string, status: number): ReplayResponse => ({ status, json: errors[name] });
  const replay: OsReplay = {
    server,
    driver: undefined as unknown as OpenStackDriver,
    servers: new Map(),
    keypairs: server.fixture<{ keypairs: { keypair: NovaKeypair }[] }>('keypairs.json').keypairs.map((k) => k.keypair),
    tokens: [],
    revoked: new Set(),
    tokenTtlMs: 3_600_000,
    pollsBeforeDone: 2,
    actionOutcome: null,
    networks: server.fixture<{ networks: NeutronNetwork[] }>('networks.json').networks,
    autoAllocate: false,
    floatingIps: new Map(),
    makeDriver: (extra = {}, credentials = passwordCredentials) =>
      openstackPlugin.createDriver({
        providerId: 'os-test',
        credentials,
        settings: { authUrl: `${server.url}/identity/v3`, pollIntervalMs: 5, requestTimeoutMs: 2000, pageSize: 2, ...settings, ...extra },
      }) as OpenStackDriver,
  };
  replay.driver = replay.makeDriver();
  for (const page of [1, 2, 3]) {
    for (const s of server.fixture<{ servers: Server[] }>(`servers-page-${page}.json`).servers) replay.servers.set(s.id, s);
  }
  const pending = new Map<string, { polls: number; final: string }>();

  for (const [name, status] of [['nova403', 403], ['nova404', 404], ['nova500', 500]] as const) {
    server.defineScenario(String(status), fail(name, status));
  }
  server.defineScenario('401', fail('keystone401', 401));
  server.defineScenario('429', { ...fail('nova429', 429), headers: { 'retry-after': '7' } });
  server.defaultHeaders = { 'x-openstack-request-id': 'req-4b2c5e8a-1d7f-4e3b-9a6c-0f2e4d6b8a1c' };

  // Keystone and the token check every service call goes through.
  server.route('POST', '/identity/v3/auth/tokens', (req) => {
    const identity = (req.json as { auth: { identity: Record<string, any> } }).auth.identity;
    const ok =
      identity.password?.user?.password === PASSWORD ||
      identity.application_credential?.secret === APP_SECRET;
    if (!ok) return fail('keystone401', 401);
    const app = identity.methods[0] === 'application_credential';
    const body = server.fixture<KsTokenResponse>(app ? 'token-application-credential.json' : 'token-password.json');
    body.token.expires_at = new Date(Date.now() + replay.tokenTtlMs).toISOString();
    const token = `gAAAAABn-token-${replay.tokens.length + 1}`;
    replay.tokens.push(token);
    return { status: 201, headers: { 'x-subject-token': token }, json: body };
  });
  const authed = (handler: (req: ReplayRequest) => ReplayResponse) => (req: ReplayRequest) => {
    const token = req.headers['x-auth-token'];
    if (typeof token !== 'string' || !replay.tokens.includes(token) || replay.revoked.has(token)) return fail('keystone401', 401);
    return handler(req);
  };
  const found = (id: string | undefined) => replay.servers.get(id ?? '');

  server
    .route('GET', `${COMPUTE}/servers/detail`, authed((req) => {
      if (typeof req.query.name === 'string') {
        const name = new RegExp(req.query.name);
        return { json: { servers: [...replay.servers.values()].filter((s) => name.test(s.name)) } };
      }
      const page = req.query.marker === undefined ? 1 : markerPage(req.query.marker);
      return { json: server.fixture(`servers-page-${page}.json`) };
    }))
    .route('GET', `${COMPUTE}/servers/:id`, authed((req) => {
      const s = found(req.params.id);
      if (!s) return fail('nova404', 404);
      const p = pending.get(s.id);
      if (p && ++p.polls > replay.pollsBeforeDone) {
        pending.delete(s.id);
        Object.assign(s, { status: p.final, 'OS-EXT-STS:task_state': null });
        if (p.final === 'ERROR') s.fault = { code: 500, message: 'Failed to power off instance: libvirt error' };
      }
      return { json: { server: s } };
    }))
    .route('POST', `${COMPUTE}/servers`, authed((req) => {
      const body = (req.json as { server: Record<string, any> }).server;
      const { server: building } = server.fixture<{ server: Server }>('server-building.json');
      const id = building.id.replace(/.{4}$/, String(1000 + replay.servers.size));
      replay.servers.set(id, { ...building, id, name: body.name, metadata: body.metadata, key_name: body.key_name ?? null, 'OS-EXT-AZ:availability_zone': body.availability_zone ?? '' });
      pending.set(id, { polls: 0, final: 'ACTIVE' });
      const reply = server.fixture<{ server: { id: string } }>('server-create.json');
      return { status: 202, json: { server: { ...reply.server, id } } };
    }))
    .route('POST', `${COMPUTE}/servers/:id/action`, authed((req) => {
      const s = found(req.params.id);
      if (!s) return fail('nova404', 404);
      const body = req.json as Record<string, { type?: string } | null>;
      const name = Object.keys(body)[0]!;
      const action = ACTIONS[body[name]?.type ? `${name}:${body[name]!.type}` : name];
      if (!action) return { status: 400, json: { badRequest: { code: 400, message: `unknown action ${name}` } } };
      // Nova's vm-state checks: start only from stopped, stop and reboot not from stopped or error.
      const allowed = name === 'os-start' ? s.status === 'SHUTOFF' : s.status !== 'SHUTOFF' && s.status !== 'ERROR';
      if (!allowed) {
        const message = `Cannot '${name === 'os-start' ? 'start' : name === 'os-stop' ? 'stop' : 'reboot'}' instance ${s.id} while it is in vm_state ${s.status.toLowerCase()}`;
        return { status: 409, json: { conflictingRequest: { code: 409, message } } };
      }
      Object.assign(s, { status: action.during, 'OS-EXT-STS:task_state': action.task });
      pending.set(s.id, { polls: 0, final: replay.actionOutcome ?? action.final });
      return { status: 202 };
    }))
    .route('POST', `${COMPUTE}/servers/:id/metadata`, authed((req) => {
      const s = found(req.params.id);
      if (!s) return fail('nova404', 404);
      s.metadata = { ...s.metadata, ...(req.json as { metadata: Record<string, string> }).metadata };
      return { json: { metadata: s.metadata } };
    }))
    .route('DELETE', `${COMPUTE}/servers/:id`, authed((req) =>
      replay.servers.delete(req.params.id!) ? { status: 204 } : fail('nova404', 404)))
    .route('GET', `${COMPUTE}/flavors`, authed(() => ({ json: { flavors: [{ id: '1', name: 'm1.tiny', links: [] }] } })))
    .route('GET', `${COMPUTE}/flavors/detail`, authed(() => ({ json: server.fixture('flavors.json') })))
    .route('GET', `${COMPUTE}/os-availability-zone`, authed(() => ({ json: server.fixture('availability-zones.json') })))
    .route('GET', `${COMPUTE}/os-keypairs`, authed(() => ({ json: { keypairs: replay.keypairs.map((keypair) => ({ keypair })) } })))
    .route('POST', `${COMPUTE}/os-keypairs`, authed((req) => {
      const { name, public_key } = (req.json as { keypair: { name: string; public_key: string } }).keypair;
      const keypair = { ...server.fixture<{ keypair: NovaKeypair }>('keypair-create.json').keypair, name, public_key, fingerprint: fingerprint(public_key) };
      replay.keypairs.push(keypair);
      return { status: 201, json: { keypair } };
    }))
    .route('GET', `${NETWORK}/networks`, authed(() => ({ json: { networks: replay.networks } })))
    .route('GET', `${NETWORK}/subnets`, authed(() => ({ json: server.fixture('subnets.json') })))
    .route('GET', `${NETWORK}/extensions/auto-allocated-topology`, authed(() =>
      replay.autoAllocate
        ? { json: { extension: { alias: 'auto-allocated-topology', name: 'Auto Allocated Topology Services', links: [] } } }
        : { status: 404, json: { NeutronError: { type: 'ExtensionNotFound', message: 'Extension with alias auto-allocated-topology does not exist', detail: '' } } }))
    .route('GET', `${NETWORK}/ports`, authed((req) => ({
      json: {
        ports: found(String(req.query.device_id))
          ? [{ id: 'ce705c24-c1ef-408a-bda3-7bbd946164ab', network_id: replay.networks[0]!.id, device_id: req.query.device_id, fixed_ips: [{ ip_address: '10.0.0.3' }] }]
          : [],
      },
    })))
    .route('POST', `${NETWORK}/floatingips`, authed((req) => {
      const asked = (req.json as { floatingip: Partial<NeutronFloatingIp> }).floatingip;
      const fip = { ...server.fixture<{ floatingip: NeutronFloatingIp }>('floatingip-create.json').floatingip, ...asked };
      replay.floatingIps.set(fip.id, fip);
      return { status: 201, json: { floatingip: fip } };
    }))
    .route('DELETE', `${NETWORK}/floatingips/:id`, authed((req) =>
      replay.floatingIps.delete(req.params.id!)
        ? { status: 204 }
        : { status: 404, json: { NeutronError: { type: 'FloatingIPNotFound', message: `Floating IP ${req.params.id} could not be found`, detail: '' } } }))
    .route('GET', '/image/v2/images', authed((req) => ({ json: server.fixture(`images-page-${imagePage(req.query.marker)}.json`) })));
  return replay;
}

// Page 2 starts after the last server of page 1, page 3 after the last of page 2.
function markerPage(marker: unknown): number {
  return { '9168b536-cd40-4630-b43f-b259807c6e87': 2, '3f4c2a1b-8d7e-4b6a-9c5d-1e2f3a4b5c6d': 3 }[String(marker)] ?? 0;
}

function imagePage(marker: unknown): number {
  return marker === undefined ? 1 : { 'a2459075-d96c-40d5-893e-577ff92e721c': 2, 'e7d2a9c4-5b1f-4c8e-9a3d-2f6b8e0c4a1d': 3 }[String(marker)] ?? 0;
}
