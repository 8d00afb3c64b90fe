/**
 * The real agent (the built bundle, a separate process) against the real API on a real Postgres:
 * enrolment with a token, a command and a Chef-solo converge through it, cancel, revoke, and the
 * faults the protocol is for: the API process killed mid-run (the agent comes back to another one
 * and the result arrives once, the run having been requested through a second API process), and the
 * agent killed mid-run.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPeriodicConverge } from '../src/modules/cm/periodic-converge.js';
import { FIXTURE_KITCHEN, kitchenTarGz, makeRemoteRoot, type RemoteRoot } from './support/cm-support.js';
import { runCli, type CliProcess } from './support/cli-process.js';
import { freePort } from './support/free-port.js';
import { createNode, getNode, jobLog, registerProvider } from './support/provider-steps.js';
import { makeRealAgent, stopAllAgents, type RealAgent } from './support/real-agent.js';
import { createTestApp, createTestDatabase, eventually, waitForJob, type TestApp } from './support/test-app.js';

const SECRET = 'agent-e2e-master-key-0123456789abcdef-0123';
const HEARTBEAT = '2';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let baseUrl: string;
let providerId: string;
let kitchenDir: string;
let remote: RemoteRoot;
const agents: RealAgent[] = [];
const apis: CliProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  kitchenDir = await mkdtemp(join(tmpdir(), 'overmind-agent-kitchen-'));
  remote = await makeRemoteRoot();
  t = await createTestApp({ database: db, masterKey: Buffer.from(SECRET), env: { OVERMIND_KITCHEN_DIR: kitchenDir, OVERMIND_AGENT_HEARTBEAT_SECONDS: HEARTBEAT } });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  ({ provider: { id: providerId } } = await registerProvider(t, { name: 'lab', type: 'dummy', credentials: { apiKey: 'k-lab' } }));
  const res = await t.request('operator', { method: 'PUT', url: '/api/v1/kitchen', payload: await kitchenTarGz(FIXTURE_KITCHEN), headers: { 'content-type': 'application/gzip' } });
  expect(res.statusCode, res.body).toBe(200);
}, 120_000);
afterEach(async () => {
  await stopAllAgents();
});
afterAll(async () => {
  await stopAllAgents();
  await Promise.all(apis.map((a) => a.kill('SIGKILL')));
  await t?.close();
  await db?.drop();
  await Promise.all(agents.map((a) => a.remove()));
  await remote?.remove();
  await rm(kitchenDir, { recursive: true, force: true });
});

const get = async (url: string) => (await t.request('observer', { method: 'GET', url })).json();

async function joinToken(nodeId: string): Promise<string> {
  const res = await t.request('operator', { method: 'POST', url: '/api/v1/agent-tokens', payload: { nodeId, ttlSeconds: 600 } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().token;
}

/** A node whose real agent is enrolled (through its CLI, with a token file) and running. */
async function nodeWithAgent(name: string, url = baseUrl) {
  const { node } = await createNode(t, { providerId, name, imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' });
  const agent = await makeRealAgent();
  agents.push(agent);
  await agent.enroll(url, await joinToken(node.id));
  const proc = agent.start();
  await eventually(async () => ((await getNode(t, node.id)).agent?.state === 'connected' ? true : undefined), 30_000, `${name}'s agent to connect; agent said: ${proc.output()}`);
  return { nodeId: node.id, agent, proc };
}

async function runCommand(nodeId: string, command: string, timeoutSeconds = 60): Promise<string> {
  const res = await t.request('operator', { method: 'POST', url: '/api/v1/nodes/actions/run', payload: { nodeIds: [nodeId], command, timeoutSeconds } });
  expect(res.statusCode, res.body).toBe(202);
  return res.json().id;
}

const accepted = (jobId: string) => eventually(async () => ((await jobLog(t, jobId)).some((l) => l.includes('the agent took the run')) ? true : undefined), 30_000, 'the agent to take the run');

describe('the real agent', () => {
  it('enrols with a join token, connects, reports its facts and says so in its status', async () => {
    const { nodeId, agent } = await nodeWithAgent('e2e-enrol');
    const status = await agent.status();
    expect(status).toMatchObject({ connected: true, nodeId });
    const node = await getNode(t, nodeId);
    const detail = await eventually(async () => {
      const a = await get(`/api/v1/agents/${node.agent!.id}`);
      return a.facts ? a : undefined;
    }, 20_000, 'the agent facts');
    expect(detail).toMatchObject({ status: 'active', connected: true, hostname: hostname() });
    // The private key stayed on the node; the server has the public half only.
    const key = await readFile(join(agent.root, 'state', 'agent.key'), 'utf8');
    expect(key).toMatch(/PRIVATE KEY/);
    expect(JSON.stringify(detail)).not.toContain(key.split('\n')[1]!);
  });

  it('runs a command with the same job, log and result shape as the SSH runner', async () => {
    const { nodeId } = await nodeWithAgent('e2e-cmd');
    const jobId = await runCommand(nodeId, 'echo "hello from $(hostname)"; echo "to stderr" >&2; exit 3');
    const job = await waitForJob(t, jobId, 60_000);
    expect(job).toMatchObject({ state: 'succeeded', result: { results: [{ nodeId, exitCode: 3, ok: false }] } });
    const log = await jobLog(t, jobId);
    expect(log).toContain(`[e2e-cmd] hello from ${hostname()}`);
    expect(log).toContain('[e2e-cmd] to stderr');
    expect(log).toContain('[e2e-cmd] exit code 3');
    expect(log).toContain('0 of 1 node(s) exited 0');
  });

  it('converges a pull node with the push path\'s Chef-solo steps, run on the node by its agent', async () => {
    const { nodeId, agent } = await nodeWithAgent('e2e-pull');
    const secret = `db-pw-${Date.now()}`;
    const role = await t.request('operator', {
      method: 'POST',
      url: '/api/v1/server-roles',
      payload: {
        name: 'pulled', providerId, locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12', runList: ['role[web]'],
        attributes: { nginx: { port: 8080 }, mysql: { port: 3306 }, fake: { print: ['mysql.root_password'] } },
        secretAttributes: { 'mysql.root_password': secret },
        environment: 'staging',
        cm: { kind: 'chef-solo', settings: { chefSoloCommand: remote.command('ok'), paths: remote.paths, sudo: false } },
        ssh: { username: 'root', privateKey: 'unused-in-pull-mode-'.repeat(3) },
        configMode: 'pull',
      },
    });
    expect(role.statusCode, role.body).toBe(201);
    expect(role.json().configMode).toBe('pull');
    const assigned = await t.request('operator', { method: 'PUT', url: `/api/v1/nodes/${nodeId}/role`, payload: { serverRoleId: role.json().id } });
    expect(assigned.statusCode, assigned.body).toBe(200);

    const configure = await t.request('operator', { method: 'POST', url: `/api/v1/nodes/${nodeId}/configure` });
    expect(configure.statusCode, configure.body).toBe(202);
    const job = await waitForJob(t, configure.json().id, 90_000);
    const log = await jobLog(t, job.id);
    expect(job.state, log.join('\n')).toBe('succeeded');
    expect(job.result).toMatchObject({ nodeId, ok: true, summary: expect.stringMatching(/Chef Infra Client finished/) });
    expect(log.some((l) => /is in pull mode/.test(l))).toBe(true);
    expect(log.some((l) => /^==> converge$/.test(l))).toBe(true);
    // The recipe printed the secret: masked before it was stored.
    expect(log.join('\n')).not.toContain(secret);
    expect(log.some((l) => l.includes('***'))).toBe(true);
    expect((await getNode(t, nodeId)).state).toBe('running');

    // What chef-solo read on the node: the same files a push writes.
    const [report] = (await remote.reports()).slice(-1);
    expect(report!.node).toMatchObject({ run_list: ['role[web]'], nginx: { port: 8080 }, mysql: { root_password: secret } });
    expect(report!.environment).toBe('staging');
    expect(report!.nodeJsonMode).toBe(0o600);
    expect(report!.config).toMatchObject({ node_name: 'e2e-pull' });
    expect(existsSync(join(remote.paths.configDir, 'node.json'))).toBe(false);
    // The kitchen arrived by its hash and stays cached on the node.
    const cached = await readdir(join(agent.root, 'state', 'kitchens'));
    expect(cached.some((n) => /^[0-9a-f]{64}$/.test(n))).toBe(true);

    // Drift correction: with an interval, the node converges again once it is due, and not before.
    const patched = await t.request('operator', { method: 'PATCH', url: `/api/v1/server-roles/${role.json().id}`, payload: { convergeIntervalSeconds: 600, convergeSplaySeconds: 0 } });
    expect(patched.json()).toMatchObject({ convergeIntervalSeconds: 600, convergeSplaySeconds: 0 });
    const periodic = createPeriodicConverge({ db: t.app.db, events: t.app.events, jobs: t.app.services.jobs });
    expect(await periodic.queueDue()).toBe(0);
    await t.app.db.query(`UPDATE server_role_nodes SET last_configured_at = now() - interval '11 minutes' WHERE node_id = $1`, [nodeId]);
    expect(await periodic.queueDue()).toBe(1);
    const again = await eventually(async () => (await get(`/api/v1/jobs?type=node.configure&target=${nodeId}`)).items.find((j: { id: string }) => j.id !== job.id), 10_000, 'the periodic configure job');
    expect((await waitForJob(t, again.id, 90_000)).state).toBe('succeeded');
    expect(await periodic.queueDue()).toBe(0);
    expect((await remote.reports()).length).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('stops a cancelled run on the node', async () => {
    const { nodeId, agent } = await nodeWithAgent('e2e-cancel');
    const pidFile = join(agent.root, 'sleeper.pid');
    const jobId = await runCommand(nodeId, `echo $$ > ${pidFile}; sleep 120`, 300);
    await accepted(jobId);
    const pid = Number(await eventually(async () => (existsSync(pidFile) ? (await readFile(pidFile, 'utf8')).trim() || undefined : undefined), 20_000, 'the command to start'));
    const cancel = await t.request('operator', { method: 'POST', url: `/api/v1/jobs/${jobId}/cancel` });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect((await waitForJob(t, jobId, 30_000)).state).toBe('cancelled');
    await eventually(async () => {
      try {
        process.kill(pid, 0);
        return undefined;
      } catch {
        return true;
      }
    }, 20_000, `the cancelled command (pid ${pid}) to be gone`);
  });

  it('is disconnected at once when revoked, and stops for good', async () => {
    const { nodeId, proc } = await nodeWithAgent('e2e-revoke');
    const agentId = (await getNode(t, nodeId)).agent!.id;
    expect((await t.request('operator', { method: 'POST', url: `/api/v1/agents/${agentId}/revoke` })).statusCode).toBe(200);
    const exit = await Promise.race([proc.exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    expect(exit, proc.output()).not.toBeNull();
    expect(exit!.code).not.toBe(0);
    expect(proc.output()).toMatch(/revoked/);
    expect((await getNode(t, nodeId)).agent).toBeNull();
  });
});

describe('faults', () => {
  it('an API process killed mid-run: the agent comes back to a new one and the result arrives once', async () => {
    const port = await freePort();
    const env = {
      DATABASE_URL: db.url, OVERMIND_SECRET_KEY: SECRET, PORT: String(port), HOST: '127.0.0.1',
      OVERMIND_KITCHEN_DIR: kitchenDir, OVERMIND_AGENT_HEARTBEAT_SECONDS: HEARTBEAT, LOG_LEVEL: 'info',
    };
    const first = runCli(['api'], env);
    apis.push(first);
    await first.waitFor(/listening|Overmind is running/i, 60_000);
    const url = `http://127.0.0.1:${port}`;
    // The agent is on the child API process; the run is requested through the test's own API process.
    const { nodeId } = await nodeWithAgent('e2e-api-killed', url);
    const jobId = await runCommand(nodeId, 'sleep 4; echo finished-once');
    await accepted(jobId);
    await first.kill('SIGKILL');
    const second = runCli(['api'], env);
    apis.push(second);
    await second.waitFor(/listening|Overmind is running/i, 60_000);
    const job = await waitForJob(t, jobId, 90_000);
    expect(job).toMatchObject({ state: 'succeeded', result: { results: [{ nodeId, exitCode: 0, ok: true }] } });
    const log = await jobLog(t, jobId);
    expect(log.filter((l) => l === '[e2e-api-killed] finished-once')).toHaveLength(1);
    expect(log.filter((l) => l === '[e2e-api-killed] exit code 0')).toHaveLength(1);
    await second.kill('SIGTERM');
  }, 180_000);

  it('an agent killed mid-run reports the run failed once it is back, never running it twice', async () => {
    const { nodeId, agent, proc } = await nodeWithAgent('e2e-agent-killed');
    const marks = join(agent.root, 'marks');
    const jobId = await runCommand(nodeId, `echo started >> ${marks}; sleep 30; echo done >> ${marks}`);
    await accepted(jobId);
    await eventually(async () => (existsSync(marks) ? true : undefined), 20_000, 'the command to start');
    await proc.kill('SIGKILL');
    agent.start();
    const job = await waitForJob(t, jobId, 60_000);
    expect(job).toMatchObject({ state: 'succeeded', result: { results: [{ nodeId, ok: false, exitCode: null, error: expect.stringMatching(/agent restarted during the run/) }] } });
    expect((await readFile(marks, 'utf8')).trim().split('\n')).toEqual(['started']);
  }, 120_000);
});
