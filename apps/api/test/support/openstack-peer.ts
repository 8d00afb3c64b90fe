/**
 * The real OpenStack peer (Keystone, Glance, Placement, Nova Zed on the fake virt driver) from
 * ../shared/peers/openstack-peer.sh, with the project's Neutron stand-in in place of the peer's
 * one-network stub. Started once by the one test file that needs it, stopped in its afterAll and,
 * should the worker exit without it, on process exit. A missing script fails loudly.
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { NeutronStandIn } from './neutron-stand-in.js';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export const OSP_NETWORKS = {
  private: { id: '5f0c1b6e-3a2d-4c8e-9b71-0a1400000001', name: 'private', prefix: '127.20.0' },
  public: { id: '5f0c1b6e-3a2d-4c8e-9b71-0a1400000101', name: 'public', prefix: '127.21.0', external: true },
  second: { id: '5f0c1b6e-3a2d-4c8e-9b71-0a1400000201', name: 'private-2', prefix: '127.22.0' },
} as const;

export interface OpenStackPeer {
  /** OS_* and OSP_* as start_openstack exported them. */
  env: Record<string, string>;
  neutron: NeutronStandIn;
  /** A project-scoped admin token, for setup a member cannot do (flavors). */
  adminToken(): Promise<string>;
  /**
   * Waits until Nova counts its compute service as up. On a busy machine its heartbeat can come late,
   * and the scheduler then finds no host for a create ("No valid host was found").
   */
  computeUp(timeoutMs?: number): Promise<void>;
  /** The error lines of Nova's compute, conductor and scheduler logs, and the Neutron stand-in's error answers. */
  novaErrors(): string;
  /** Stops the peer; with `keepLogs`, its logs are first copied to artifacts/openstack-peer/ (its directory goes with it). */
  stop(opts?: { keepLogs?: boolean }): Promise<void>;
}

/**
 * The peer script: OVERMIND_OPENSTACK_PEER, else ../shared/peers next to the checkout (or its worktree
 * parent), else the copy kept in this repository (support/peers/, for a clone anywhere else, as CI's).
 */
export function peerScript(): string {
  const candidates = [
    process.env.OVERMIND_OPENSTACK_PEER,
    join(ROOT, '../shared/peers/openstack-peer.sh'),
    join(ROOT, '../../shared/peers/openstack-peer.sh'),
    fileURLToPath(new URL('./peers/openstack-peer.sh', import.meta.url)),
  ];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error(`openstack-peer.sh not found (looked at ${candidates.filter(Boolean).join(', ')}); set OVERMIND_OPENSTACK_PEER`);
  return found;
}

/** The last error lines (and their tracebacks) of one of the peer's logs, e.g. `nova-compute`. */
function logErrors(dir: string, service: string, lines = 30): string {
  const path = join(dir, 'log', `${service}.log`);
  if (!existsSync(path)) return `(no ${path})`;
  const log = readFileSync(path, 'utf8').split('\n');
  const first = log.findIndex((l) => / ERROR /.test(l));
  return first < 0 ? `(no ERROR line in ${path})` : log.slice(first).filter((l) => / ERROR /.test(l) || /^\s|Traceback|Error|Exception/.test(l)).slice(-lines).map((l) => (l.length > 1_500 ? `${l.slice(0, 1_500)} …` : l)).join('\n');
}

function stopSync(script: string, dir: string): void {
  spawnSync('bash', ['-c', 'source "$1"; stop_openstack', 'stop', script], { env: { ...process.env, OSP_DIR: dir }, stdio: 'ignore', timeout: 60_000 });
}

async function keystoneToken(user: string, password: string, project: string): Promise<{ token: string; projectId: string }> {
  const res = await fetch('http://127.0.0.1:5000/v3/auth/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: user, password, domain: { name: 'Default' } } } },
        scope: { project: { name: project, domain: { name: 'Default' } } },
      },
    }),
  });
  if (res.status !== 201) throw new Error(`Keystone refused ${user}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: { project: { id: string } } };
  return { token: res.headers.get('x-subject-token')!, projectId: body.token.project.id };
}

async function replaceStub(dir: string): Promise<void> {
  const line = readFileSync(join(dir, 'pids'), 'utf8').split('\n').find((l) => l.endsWith(' neutron-stub'));
  if (line) {
    const pid = Number(line.split(' ')[0]);
    try {
      process.kill(-pid, 'SIGTERM'); // its own process group, started by start_openstack for us
    } catch {
      // already gone (a reused peer whose stub an earlier run replaced)
    }
  }
  for (let i = 0; i < 100; i++) {
    const free = await fetch('http://127.0.0.1:9696/').then(() => false, () => true);
    if (free) return;
    await sleep(100);
  }
  throw new Error('the peer neutron stub still answers on 127.0.0.1:9696');
}

/**
 * UWSGI_LAZY_APPS: the script runs Keystone and Placement under uwsgi, which by default loads the app in
 * its master and forks the worker from it, so the worker inherits whatever the app opened while
 * loading (Keystone's own uwsgi sample sets lazy-apps "so that file descriptors aren't shared"). A CI
 * run on a busy machine had the first token request hang in the forked worker twice in a row, 30 s
 * each, after the version document answered; loading the app in the worker is what Keystone documents.
 */
async function startOnce(script: string): Promise<string> {
  const { stdout } = await run('bash', ['-c', 'source "$1"; start_openstack >&2 && env -0', 'start', script], {
    maxBuffer: 16 * 1024 * 1024,
    timeout: 20 * 60_000,
    env: { ...process.env, OSP_DIR: '', OSP_PIDS: '', UWSGI_LAZY_APPS: '1' },
  });
  return stdout;
}

/**
 * Starts the peer (installing its packages the first time) unless OVERMIND_OPENSTACK_PEER_DIR names
 * one already running (then it is reused and left running: whoever started it stops it).
 */
export async function startOpenStackPeer(): Promise<OpenStackPeer> {
  const script = peerScript();
  const reuse = process.env.OVERMIND_OPENSTACK_PEER_DIR;
  let env: Record<string, string>;
  if (reuse) {
    env = { OSP_DIR: reuse, OS_AUTH_URL: 'http://127.0.0.1:5000/v3', OS_USERNAME: 'demo', OS_PASSWORD: 'demo-secret', OS_PROJECT_NAME: 'demo', OSP_ADMIN_PASSWORD: 'admin-secret' };
  } else {
    const stdout = await startOnce(script).catch(async (err: Error) => {
      // On a busy machine Keystone's first token has taken over the script's 30 s read timeout; the
      // script then stops all it started, so one more start is clean. Its log says why the first failed.
      process.stderr.write(`OpenStack peer start failed, starting it once more: ${err.message}\n`);
      await sleep(5_000);
      return startOnce(script);
    });
    env = Object.fromEntries(stdout.split('\0').filter((l) => /^OSP?_/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  }
  const dir = env.OSP_DIR!;
  const onExit = () => stopSync(script, dir);
  if (!reuse) process.once('exit', onExit);
  let neutron: NeutronStandIn | undefined;
  try {
    const demo = await keystoneToken('demo', env.OS_PASSWORD!, 'demo');
    const admin = await keystoneToken('admin', env.OSP_ADMIN_PASSWORD!, 'admin');
    await replaceStub(dir);
    neutron = new NeutronStandIn(demo.projectId, admin.projectId);
    neutron.addNetwork(OSP_NETWORKS.private);
    neutron.addNetwork(OSP_NETWORKS.public);
    await neutron.listen(9696);
  } catch (err) {
    await neutron?.close();
    if (!reuse) {
      process.off('exit', onExit);
      stopSync(script, dir);
    }
    throw err;
  }
  const standIn = neutron;
  return {
    env,
    neutron: standIn,
    adminToken: async () => (await keystoneToken('admin', env.OSP_ADMIN_PASSWORD!, 'admin')).token,
    novaErrors: () =>
      [
        ...['nova-compute', 'nova-conductor', 'nova-scheduler'].map((s) => `${s}'s errors:\n${logErrors(dir, s)}`),
        `the Neutron stand-in's error answers:\n${standIn.errors.slice(-20).join('\n') || '(none)'}`,
      ].join('\n'),
    async computeUp(timeoutMs = 120_000) {
      const token = (await keystoneToken('admin', env.OSP_ADMIN_PASSWORD!, 'admin')).token;
      const deadline = Date.now() + timeoutMs;
      let seen = 'no answer';
      while (Date.now() < deadline) {
        const res = await fetch('http://127.0.0.1:8774/v2.1/os-services?binary=nova-compute', { headers: { 'x-auth-token': token } });
        const services = res.ok ? ((await res.json()) as { services: { state: string; status: string }[] }).services : [];
        seen = res.ok ? JSON.stringify(services.map((s) => `${s.status}/${s.state}`)) : `${res.status}`;
        if (services.some((s) => s.state === 'up' && s.status === 'enabled')) return;
        await sleep(1_000);
      }
      throw new Error(`Nova's compute service is not up after ${timeoutMs} ms (last seen: ${seen})`);
    },
    async stop({ keepLogs = false } = {}) {
      await standIn.close();
      if (keepLogs) {
        const to = join(ROOT, 'artifacts/openstack-peer', new Date().toISOString().replace(/[:.]/g, '-'));
        cpSync(join(dir, 'log'), to, { recursive: true });
        process.stderr.write(`OpenStack peer: a test failed; its logs are kept in ${to}\n`);
      }
      if (reuse) return;
      process.off('exit', onExit);
      await run('bash', ['-c', 'source "$1"; stop_openstack', 'stop', script], { env: { ...process.env, OSP_DIR: dir }, timeout: 120_000 });
    },
  };
}
