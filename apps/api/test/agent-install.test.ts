/**
 * Zero-touch agents over SSH, with real parts: a registered dedicated server on the loopback sshd (a
 * throwaway non-root user with a plain shell), `POST /nodes/{id}/agent/install` running the real
 * install.sh over real SSH into a temporary prefix, the real agent starting there (no systemd: nohup),
 * enrolling with the token the job minted and connecting to this API; then a pull converge and a
 * command through it. Also: the upgrade in place, `installAgent` at registration, the first configure
 * of a pull role's node on a provider without user data, and the 409 without SSH access.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd, type SshdFixture } from '@overmind/ssh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from './support/api-routes.js';
import { FIXTURE_KITCHEN, createLoopbackProvider, kitchenTarGz, loopbackPlugin, makeRemoteRoot, type RemoteRoot } from './support/cm-support.js';
import { expectNoLeaks, getNode, jobLines, registerNode, sshRegistration, startDedicatedApi, type DedicatedTest } from './support/dedicated-steps.js';
import { freePort } from './support/free-port.js';
import { requireAgentBundle } from './support/real-agent.js';
import { createDummyProvider, eventually, waitForJob } from './support/test-app.js';

let d: DedicatedTest;
let sshd: SshdFixture;
let remote: RemoteRoot;
let kitchenDir: string;
let baseUrl: string;
let dummyId: string;
/** Where the agents went: each node its own root (they all live on this machine). */
const prefixes: string[] = [];
const SECRET = `install-db-pw-${Date.now()}`;
// A join token as the API mints them; none may show up anywhere whole.
const TOKEN = /omj_[A-Za-z0-9_-]{20,}/;

const prefix = (name: string) => {
  const p = join(sshd.login.home, name);
  prefixes.push(p);
  return p;
};
const stateDir = (root: string) => join(root, 'var/lib/overmind-agent');
const pidOf = async (root: string) => Number((await readFile(join(stateDir(root), 'agent.pid'), 'utf8')).trim());
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  requireAgentBundle();
  kitchenDir = await mkdtemp(join(tmpdir(), 'overmind-install-kitchen-'));
  [sshd, remote] = await Promise.all([startSshd(), makeRemoteRoot()]);
  // The agents on "the nodes" connect to this API's listening port, as install.sh is told.
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  d = await startDedicatedApi({
    env: {
      OVERMIND_PUBLIC_URL: baseUrl,
      OVERMIND_KITCHEN_DIR: kitchenDir,
      // Installs that name no prefix (the first configure of a pull role's node) go here.
      OVERMIND_AGENT_INSTALL_PREFIX: prefix('agent-role'),
      OVERMIND_SSH_WAIT_SECONDS: '60',
    },
    plugins: [loopbackPlugin(sshd.port)],
  });
  await d.t.app.listen({ port, host: '127.0.0.1' });
  const kitchen = await d.call('operator', { method: 'PUT', url: '/api/v1/kitchen', payload: await kitchenTarGz(FIXTURE_KITCHEN), headers: { 'content-type': 'application/gzip' } });
  expect(kitchen.statusCode, kitchen.body).toBe(200);
  dummyId = (await createDummyProvider(d.t)).id;
}, 120_000);

afterAll(async () => {
  // The agents were started by install.sh with nohup: no longer children of anything here.
  for (const root of prefixes) {
    const pid = await pidOf(root).catch(() => 0);
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
  }
  await d?.close();
  await sshd?.stop();
  await remote?.remove();
  await rm(kitchenDir, { recursive: true, force: true });
});

const cm = () => ({ kind: 'chef-solo', settings: { chefSoloCommand: remote.command('ok'), paths: remote.paths } });

async function installAgent(nodeId: string, body: Record<string, unknown>) {
  const res = await d.call('operator', { method: 'POST', url: `/api/v1/nodes/${nodeId}/agent/install`, payload: body });
  expect(res.statusCode, res.body).toBe(202);
  expect(res.json()).toMatchObject({ type: 'node.agent-install', targetType: 'node', targetId: nodeId, maxAttempts: 1 });
  expect(res.headers.location).toBe(`/api/v1/jobs/${res.json().id}`);
  const job = await waitForJob(d.t, res.json().id, 240_000);
  const log = await jobLines(d, job.id);
  expect(job.state, `${job.error}\n${log.join('\n')}`).toBe('succeeded');
  return { job, log };
}

async function tokensOf(nodeId: string) {
  return (await d.call('operator', { method: 'GET', url: `/api/v1/agent-tokens?nodeId=${nodeId}` })).json().items as { id: string; state: string; description: string }[];
}

let hostId: string;
let agentId: string;

describe('installing the agent over SSH', () => {
  it('installs the real agent on a registered server: it starts, enrols and connects without anyone typing a token', async () => {
    const { job: registered, nodeId } = await registerNode(d, 'agent-host-1', sshRegistration(sshd));
    expect(registered.state, registered.error).toBe('succeeded');
    hostId = nodeId;
    const root = prefix('agent-1');

    const { job, log } = await installAgent(nodeId, { prefix: root });
    expect(job.result).toMatchObject({ via: 'registered-login', prefix: root, upgraded: false, agentVersion: expect.any(String) });
    agentId = job.result.agentId;
    const node = await getNode(d, nodeId);
    expect(node.agent).toMatchObject({ id: agentId, state: 'connected' });

    // install.sh ran, over the registered login, without sudo, and started the agent with nohup.
    expect(log).toContain('connecting to agent-host-1 over its registered login');
    expect(log.some((l) => /^overmind-agent install: no systemd here: started `overmind-agent run` in the background/.test(l))).toBe(true);
    expect(log.some((l) => /^uploaded the agent to \/\S+; running install\.sh under /.test(l))).toBe(true);
    // The private upload directory (bundle, script, token file) is gone from the node.
    const uploaded = /^uploaded the agent to (\S+);/.exec(log.find((l) => l.startsWith('uploaded the agent to '))!)![1]!;
    expect(existsSync(uploaded)).toBe(false);

    // Everything under the prefix, the agent running as the login user, its key its own.
    const identity = JSON.parse(await readFile(join(stateDir(root), 'identity.json'), 'utf8'));
    expect(identity).toMatchObject({ agentId, nodeId });
    expect(existsSync(join(root, 'usr/local/lib/overmind-agent/overmind-agent.mjs'))).toBe(true);
    const pid = await pidOf(root);
    expect(alive(pid)).toBe(true);
    expect(statSync(`/proc/${pid}`).uid).toBe(sshd.login.uid);
    expect(statSync(join(stateDir(root), 'agent.key')).mode & 0o777).toBe(0o600);

    // One token, minted by the job for this node, spent by the enrolment; never shown whole.
    const tokens = await tokensOf(nodeId);
    expect(tokens).toEqual([expect.objectContaining({ state: 'used', description: `agent install, job ${job.id}` })]);
    expect(log.join('\n')).not.toMatch(TOKEN);
    expect(JSON.stringify(job)).not.toMatch(TOKEN);
    const audit = (await d.call('admin', { method: 'GET', url: `/api/v1/audit-events?targetId=${nodeId}&action=node.agent-install` })).json().items;
    expect(audit[0]).toMatchObject({ actorName: 'operator', details: { jobId: job.id, via: 'registered-login', prefix: root } });
  }, 300_000);

  it('converges the server through that agent once it has a pull role, and runs commands through it', async () => {
    const role = await d.call('operator', {
      method: 'POST',
      url: '/api/v1/server-roles',
      payload: {
        name: 'pulled-rack', providerId: dummyId, locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12', runList: ['role[web]'],
        attributes: { nginx: { port: 8080 } }, secretAttributes: { 'mysql.root_password': SECRET },
        cm: cm(), ssh: { username: 'nobody-at-all', privateKey: 'not-a-key-for-these-servers-'.repeat(3) }, configMode: 'pull',
      },
    });
    expect(role.statusCode, role.body).toBe(201);
    const assigned = await d.call('operator', { method: 'PUT', url: `/api/v1/nodes/${hostId}/role`, payload: { serverRoleId: role.json().id } });
    expect(assigned.statusCode, assigned.body).toBe(200);

    const configure = await d.call('operator', { method: 'POST', url: `/api/v1/nodes/${hostId}/configure` });
    expect(configure.statusCode, configure.body).toBe(202);
    const job = await waitForJob(d.t, configure.json().id, 180_000);
    const log = await jobLines(d, job.id);
    expect(job.state, log.join('\n')).toBe('succeeded');
    expect(job.result).toMatchObject({ nodeId: hostId, ok: true, summary: expect.stringMatching(/Chef Infra Client finished/) });
    expect(log.some((l) => /is in pull mode/.test(l))).toBe(true);
    // It had an agent: nothing was installed this time.
    expect(log.some((l) => /installing it over SSH/.test(l))).toBe(false);
    const [report] = (await remote.reports()).slice(-1);
    expect(report!.config).toMatchObject({ node_name: 'agent-host-1' });
    expect(report!.node).toMatchObject({ run_list: ['role[web]'], mysql: { root_password: SECRET } });
    // The agent runs as the login user; chef-solo ran as root through its sudo -n.
    expect(report!.uid).toBe(0);

    const run = await d.call('operator', { method: 'POST', url: '/api/v1/nodes/actions/run', payload: { nodeIds: [hostId], command: 'echo "agent says $(id -un)"', timeoutSeconds: 60 } });
    expect(run.statusCode, run.body).toBe(202);
    const ran = await waitForJob(d.t, run.json().id, 120_000);
    const ranLog = await jobLines(d, ran.id);
    expect(ran.state, ranLog.join('\n')).toBe('succeeded');
    expect(ranLog).toContain(`[agent-host-1] agent says ${sshd.username}`);
    expect(ranLog.some((l) => /through their agent/.test(l))).toBe(true);
  }, 300_000);

  it('installing again upgrades in place: the same identity, a new process, the spare token revoked', async () => {
    const root = prefixes.find((p) => p.endsWith('agent-1'))!;
    const before = await pidOf(root);
    const { job, log } = await installAgent(hostId, { prefix: root });
    expect(job.result).toMatchObject({ agentId, upgraded: true });
    expect(log.some((l) => /already enrolled/.test(l))).toBe(true);
    const after = await pidOf(root);
    expect(after).not.toBe(before);
    expect(alive(after)).toBe(true);
    await eventually(async () => (alive(before) ? undefined : true), 30_000, 'the old agent process to be gone');
    expect((await getNode(d, hostId)).agent).toMatchObject({ id: agentId, state: 'connected' });
    const states = (await tokensOf(hostId)).map((t) => t.state).sort();
    expect(states).toEqual(['revoked', 'used']);
  }, 300_000);

  it('fails with install.sh\'s last lines when it cannot install, leaving no token usable and nothing uploaded behind', async () => {
    // The throwaway login may not write under /root: install.sh stops at its first mkdir.
    const res = await d.call('operator', { method: 'POST', url: `/api/v1/nodes/${hostId}/agent/install`, payload: { prefix: '/root/overmind-agent-denied' } });
    expect(res.statusCode, res.body).toBe(202);
    const job = await waitForJob(d.t, res.json().id, 240_000);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/^install\.sh exited with 1; its last lines:\n/);
    expect(job.error).toMatch(/\nmkdir: cannot create directory '\/root[^']*': Permission denied/);
    expect(job.error).not.toMatch(TOKEN);
    const log = await jobLines(d, job.id);
    const uploaded = /^uploaded the agent to (\S+);/.exec(log.find((l) => l.startsWith('uploaded the agent to '))!)![1]!;
    expect(existsSync(uploaded)).toBe(false);
    // The token minted for it was never used: revoked with the failure. The agent installed before is untouched.
    const mine = (await tokensOf(hostId)).filter((t) => t.description === `agent install, job ${job.id}`);
    expect(mine.map((t) => t.state)).toEqual(['revoked']);
    expect((await getNode(d, hostId)).agent).toMatchObject({ id: agentId, state: 'connected' });
  }, 300_000);

  it('installs the agent of a server registered with installAgent, once it is registered', async () => {
    const root = prefix('agent-2');
    const { job, nodeId } = await registerNode(d, 'agent-host-2', { ...sshRegistration(sshd) }, d.providerId, { installAgent: { prefix: root } });
    expect(job.state, job.error).toBe('succeeded');
    expect(job.result.agentInstallJobId).toEqual(expect.any(String));
    const install = await waitForJob(d.t, job.result.agentInstallJobId, 240_000);
    expect(install.state, (await jobLines(d, install.id)).join('\n')).toBe('succeeded');
    expect(install).toMatchObject({ type: 'node.agent-install', targetId: nodeId, result: { via: 'registered-login', prefix: root } });
    expect((await getNode(d, nodeId)).agent?.state).toBe('connected');
    expect(JSON.parse(await readFile(join(stateDir(root), 'identity.json'), 'utf8')).nodeId).toBe(nodeId);
  }, 300_000);

  it('gives the node of a pull role its agent over the role key at its first configure, on a provider without user data', async () => {
    const loopbackId = (await createLoopbackProvider(d.t)).id;
    const role = await d.call('operator', {
      method: 'POST',
      url: '/api/v1/server-roles',
      payload: {
        name: 'pulled-loop', providerId: loopbackId, locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12', runList: ['role[web]'],
        cm: cm(), ssh: { username: sshd.username, privateKey: sshd.privateKey }, configMode: 'pull',
      },
    });
    expect(role.statusCode, role.body).toBe(201);
    const created = await d.call('operator', { method: 'POST', url: `/api/v1/server-roles/${role.json().id}/nodes`, payload: { count: 1 } });
    expect(created.statusCode, created.body).toBe(202);
    const [queued] = created.json().jobs;
    const nodeId = queued.targetId as string;
    const createJob = await waitForJob(d.t, queued.id, 60_000);
    expect(createJob.state, createJob.error).toBe('succeeded');
    const configure = await waitForJob(d.t, createJob.result.configureJobId, 300_000);
    const log = await jobLines(d, configure.id);
    expect(configure.state, log.join('\n')).toBe('succeeded');
    expect(log).toContain('pulled-loop-1 has no agent yet: installing it over SSH first');
    expect(log.some((l) => /^waiting for SSH on om-t-/.test(l))).toBe(true);
    expect(log.some((l) => /^agent \S+ \(\S+\) is connected$/.test(l))).toBe(true);
    expect(configure.result).toMatchObject({ nodeId, ok: true });
    expect((await getNode(d, nodeId)).agent?.state).toBe('connected');
    // The config's prefix, as no request named one.
    expect(JSON.parse(await readFile(join(stateDir(prefixes[0]!), 'identity.json'), 'utf8')).nodeId).toBe(nodeId);
    expect(log.join('\n')).not.toMatch(TOKEN);
  }, 400_000);

  it('refuses a node Overmind has no SSH access to (409), and a prefix install.sh must not take (400)', async () => {
    const res = await d.call('operator', { method: 'POST', url: '/api/v1/nodes', payload: { providerId: dummyId, name: 'cloudy', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' } });
    expect(res.statusCode, res.body).toBe(202);
    expect((await waitForJob(d.t, res.json().id)).state).toBe('succeeded');
    const refused = expectProblem(await d.call('operator', { method: 'POST', url: `/api/v1/nodes/${res.json().targetId}/agent/install`, payload: {} }), 409);
    expect(refused.detail).toMatch(/no SSH access to node cloudy: it is neither a registered server .* nor a node of a server role/);
    for (const bad of ['relative/path', '/home/../etc', '/a b', '/x;reboot']) {
      expectProblem(await d.call('operator', { method: 'POST', url: `/api/v1/nodes/${hostId}/agent/install`, payload: { prefix: bad } }), 400);
    }
    expectProblem(await d.call('observer', { method: 'POST', url: `/api/v1/nodes/${hostId}/agent/install`, payload: {} }), 403);
    await expectNoLeaks(d, [SECRET, sshd.privateKey.split('\n')[1]!]);
    expect(d.t.logs.join('')).not.toMatch(TOKEN);
  }, 120_000);
});
