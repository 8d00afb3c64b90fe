/**
 * The load-balancer contract on one HAProxy host: a managed node of a libvirt or dedicated provider,
 * reached through a shell its driver lends (`withNodeSession`). Every balancer is a frontend and a
 * backend in the host's one haproxy.cfg; see haproxy-apply.ts for how a change is switched in.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import {
  BALANCER_ALGORITHMS,
  NotSupportedError,
  ProviderError,
  checkBalancerRequest,
  checkPort,
  type BalancerMember,
  type CreateBalancerRequest,
  type HealthCheck,
  type LoadBalancerDriver,
  type MemberSpec,
  type NodeSession,
  type OperationContext,
  type ProviderBalancer,
} from '@overmind/provider';
import { applyState, readState, StateChangedError, type HostPaths } from './haproxy-apply.js';
import { renderConfig } from './haproxy-config.js';
import { memberState, readServers, type ServerState } from './haproxy-servers.js';
import { PATH_PATTERN, checkHealthCheck, parseState, type HaproxyState, type StoredBalancer } from './haproxy-state.js';

/** How the driver reaches the host: a shell as a user that may sudo, closed after `fn`. */
export interface HaproxyHost {
  withSession<T>(fn: (session: NodeSession) => Promise<T>, ctx?: OperationContext): Promise<T>;
}

export interface HaproxySettings {
  /** Where clients reach this host's balancers (its public address or DNS name), shown as each balancer's address. */
  address: string | null;
  /** Where frontends listen; `0.0.0.0` (every address) by default. */
  bindAddress?: string;
  configPath?: string;
  statePath?: string;
  socketPath?: string;
  binary?: string;
  /**
   * How haproxy runs: `systemd` (the Debian package's unit, reloaded with `systemctl`), or `daemon`
   * (Overmind starts it itself with `-D` and this pid file, for hosts without systemd).
   */
  reload?: { mode: 'systemd'; unit?: string } | { mode: 'daemon'; pidFile: string };
  /** How long a reload lets old connections finish (hard-stop-after); detaching waits for it. */
  drainSeconds?: number;
}

const MAX_ATTEMPTS = 5;

function hostPaths(s: HaproxySettings): HostPaths {
  const reload = s.reload ?? { mode: 'systemd' };
  return {
    configPath: s.configPath ?? '/etc/haproxy/haproxy.cfg',
    statePath: s.statePath ?? '/etc/haproxy/overmind-balancers.json',
    socketPath: s.socketPath ?? '/run/haproxy/overmind-admin.sock',
    binary: s.binary ?? 'haproxy',
    reload: reload.mode === 'daemon' ? reload : { mode: 'systemd', unit: reload.unit ?? 'haproxy' },
    drainSeconds: s.drainSeconds ?? 30,
  };
}

function newId(prefix: 'lb' | 'm'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

function view(b: StoredBalancer, address: string | null, configPath: string, servers: Map<string, ServerState> = new Map()): ProviderBalancer {
  return {
    id: b.id,
    name: b.name,
    state: 'active',
    protocol: b.protocol,
    port: b.port,
    algorithm: b.algorithm,
    address,
    healthCheck: b.healthCheck,
    // haproxy's own health check, from its runtime API (backend `be_<id>`, server `<member id>`).
    members: b.members.map((m) => ({ id: m.id, nodeId: m.nodeId, ip: m.ip, port: m.port, state: memberState(servers.get(`be_${b.id}/${m.id}`), b.healthCheck !== null), extra: {} })),
    extra: { configPath, createdAt: b.createdAt, ...(b.certificatePath ? { certificatePath: b.certificatePath } : {}) },
  };
}

function memberFrom(spec: MemberSpec): { ip: string; port: number; nodeId: string | null } {
  if (typeof spec.ip !== 'string' || isIP(spec.ip) === 0) {
    throw new NotSupportedError('HAProxy members are given by IP address and port (ip is missing or not an address)');
  }
  return { ip: spec.ip, port: checkPort(spec.port, 'Member port'), nodeId: spec.nodeId ?? null };
}

export function createHaproxyBalancers(host: HaproxyHost, settings: HaproxySettings): LoadBalancerDriver {
  const paths = hostPaths(settings);
  const bindAddress = settings.bindAddress ?? '0.0.0.0';
  if (isIP(bindAddress) === 0) throw new ProviderError('HAProxy bindAddress must be an IP address');
  for (const p of [paths.configPath, paths.statePath, paths.socketPath, ...(paths.reload.mode === 'daemon' ? [paths.reload.pidFile] : [])]) {
    if (!PATH_PATTERN.test(p)) throw new ProviderError(`HAProxy path ${JSON.stringify(p)} must be absolute, of letters, digits and ._/-`);
  }
  const render = (state: HaproxyState) =>
    renderConfig(state, { bindAddress, socketPath: paths.socketPath, drainSeconds: paths.drainSeconds });

  /** The balancers with haproxy's view of their servers, in one session. */
  const readWithServers = (ctx?: OperationContext) =>
    host.withSession(async (session) => {
      const state = parseState((await readState(session, paths, ctx)).text);
      const servers = state.balancers.length > 0 ? await readServers(session, paths.socketPath, ctx) : new Map<string, ServerState>();
      return state.balancers.map((b) => view(b, settings.address, paths.configPath, servers));
    }, ctx);

  /**
   * Reads the state, lets `change` compute the next one (or return null for nothing to do), and
   * switches it in; read again and retried when another worker changed the host in between.
   */
  async function mutate<T>(
    change: (state: HaproxyState) => { next: HaproxyState | null; result: T },
    options: { waitDrain: boolean },
    ctx?: OperationContext,
  ): Promise<T> {
    return host.withSession(async (session) => {
      for (let attempt = 1; ; attempt++) {
        const current = await readState(session, paths, ctx);
        const { next, result } = change(parseState(current.text));
        if (!next) return result;
        try {
          await applyState(
            session,
            paths,
            { expectHash: current.hash, config: render(next), state: JSON.stringify(next, null, 2) + '\n', waitDrain: options.waitDrain },
            ctx,
          );
          return result;
        } catch (err) {
          if (!(err instanceof StateChangedError) || attempt >= MAX_ATTEMPTS) throw err;
        }
      }
    }, ctx);
  }

  const replace = (state: HaproxyState, b: StoredBalancer): HaproxyState => ({
    ...state,
    balancers: state.balancers.map((x) => (x.id === b.id ? b : x)),
  });

  const find = (state: HaproxyState, id: string): StoredBalancer => {
    const b = state.balancers.find((x) => x.id === id);
    if (!b) throw new ProviderError(`No balancer ${id} on this HAProxy host`, { providerCode: 'not_found', status: 404 });
    return b;
  };

  return {
    capabilities: ['setHealthCheck', 'memberByAddress', 'memberPort'],
    protocols: ['http', 'https', 'tcp'],
    algorithms: BALANCER_ALGORITHMS,

    async listBalancers(ctx) {
      return readWithServers(ctx);
    },

    async getBalancer(id, ctx) {
      return (await readWithServers(ctx)).find((x) => x.id === id) ?? null;
    },

    async createBalancer(request: CreateBalancerRequest, ctx) {
      checkBalancerRequest(this, request);
      const port = checkPort(request.port, 'Balancer port');
      const healthCheck = request.healthCheck ? checkHealthCheck(request.healthCheck, 'request') : null;
      const members = request.members.map((m) => ({ id: newId('m'), ...memberFrom(m) }));
      let certificatePath: string | null = null;
      if (request.protocol === 'https') {
        const path = request.extra?.certificatePath;
        if (typeof path !== 'string' || !PATH_PATTERN.test(path)) {
          throw new ProviderError('An https balancer on HAProxy needs extra.certificatePath: the PEM (certificate and key) on the host');
        }
        certificatePath = path;
      }
      const created = await mutate(
        (state) => {
          const existing = state.balancers.find((b) => b.idempotencyKey === request.idempotencyKey);
          if (existing) return { next: null, result: existing };
          const clash = state.balancers.find((b) => b.port === port);
          if (clash) throw new ProviderError(`Port ${port} is already taken on this host by balancer ${clash.name}`, { providerCode: 'port_in_use' });
          const b: StoredBalancer = {
            id: newId('lb'),
            name: request.name,
            port,
            protocol: request.protocol,
            algorithm: request.algorithm,
            healthCheck,
            members,
            idempotencyKey: request.idempotencyKey,
            certificatePath,
            createdAt: new Date().toISOString(),
          };
          return { next: { ...state, balancers: [...state.balancers, b] }, result: b };
        },
        { waitDrain: false },
        ctx,
      );
      return view(created, settings.address, paths.configPath);
    },

    async destroyBalancer(id, ctx) {
      await mutate(
        (state) => {
          if (!state.balancers.some((b) => b.id === id)) return { next: null, result: undefined };
          return { next: { ...state, balancers: state.balancers.filter((b) => b.id !== id) }, result: undefined };
        },
        { waitDrain: true },
        ctx,
      );
    },

    async attachMember(balancerId, spec, ctx): Promise<BalancerMember> {
      const wanted = memberFrom(spec);
      const member = await mutate(
        (state) => {
          const b = find(state, balancerId);
          const same = b.members.find((m) => m.ip === wanted.ip && m.port === wanted.port);
          if (same) return { next: null, result: same };
          const m = { id: newId('m'), ...wanted };
          return { next: replace(state, { ...b, members: [...b.members, m] }), result: m };
        },
        { waitDrain: false },
        ctx,
      );
      return { id: member.id, nodeId: member.nodeId, ip: member.ip, port: member.port, state: 'unknown', extra: {} };
    },

    async detachMember(balancerId, memberId, ctx) {
      await mutate(
        (state) => {
          const b = find(state, balancerId);
          if (!b.members.some((m) => m.id === memberId)) return { next: null, result: undefined };
          return { next: replace(state, { ...b, members: b.members.filter((m) => m.id !== memberId) }), result: undefined };
        },
        { waitDrain: true },
        ctx,
      );
    },

    async setHealthCheck(balancerId, healthCheck: HealthCheck, ctx) {
      const hc = checkHealthCheck(healthCheck, 'request');
      await mutate((state) => ({ next: replace(state, { ...find(state, balancerId), healthCheck: hc }), result: undefined }), { waitDrain: false }, ctx);
    },
  };
}
