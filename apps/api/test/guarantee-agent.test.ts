/**
 * The remediation ladder's first rung through a real agent: a member whose check (the Debian
 * `check_tcp`, run by the member's agent against a loopback "service") fails past its grace period
 * gets `systemctl restart <service>` run on it by that agent; once the service answers again the
 * attempt is recorded as recovered. `systemctl` on the agent's PATH is a script that only records its
 * arguments: the test plays the service manager and brings the listener back when it is called.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNode, registerProvider } from './support/provider-steps.js';
import { makeRealAgent, stopAllAgents, type RealAgent } from './support/real-agent.js';
import { createTestApp, eventually, waitForJob, type TestApp } from './support/test-app.js';

const WAIT_MS = 120_000;
let t: TestApp;
let baseUrl: string;
let providerId: string;
let shims: string;
let agent: RealAgent | undefined;
let service: Server | undefined;

const listen = (port = 0) =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer((socket) => socket.end());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

beforeAll(async () => {
  t = await createTestApp({ env: { OVERMIND_GUARANTEE_PASS_SECONDS: '0.5', OVERMIND_AGENT_HEARTBEAT_SECONDS: '2' } });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  ({ provider: { id: providerId } } = await registerProvider(t, { name: 'svc-lab', type: 'dummy', credentials: { apiKey: 'k-svc' } }));
  shims = await mkdtemp(join(tmpdir(), 'overmind-systemctl-'));
  await writeFile(join(shims, 'systemctl'), `#!/bin/sh\nprintf '%s\\n' "$*" >> ${join(shims, 'calls')}\n`);
  await chmod(join(shims, 'systemctl'), 0o755);
}, 120_000);
afterAll(async () => {
  await stopAllAgents();
  service?.close();
  await t?.close();
  await agent?.remove();
  if (shims) await rm(shims, { recursive: true, force: true });
});

const ok = async (method: 'GET' | 'POST', url: string, payload?: unknown, status = 200) => {
  const res = await t.request('operator', { method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload: payload as object }) });
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
};
const calls = () => readFile(join(shims, 'calls'), 'utf8').catch(() => '');

describe('service guarantee through the agent', () => {
  it("restarts the tier's service with the member's agent when its check fails, and records the member recovered", async () => {
    service = await listen();
    const port = (service.address() as AddressInfo).port;
    const health = { gracePeriodSeconds: 2, restartService: 'demo-web.service', remediation: ['restart-service'], settleSeconds: 60, backoffSeconds: 1 };
    const c = await ok('POST', '/constellations', { name: 'svc', tiers: [{ name: 'web', machine: { providerId, locationId: 'lab-1', sizeId: 'small', imageId: 'debian-12' }, count: 1, health }] }, 201);
    const applied = await waitForJob(t, (await ok('POST', `/constellations/${c.id}/apply`, undefined, 202)).id, WAIT_MS);
    expect(applied.state, applied.error).toBe('succeeded');
    const nodeId = (await ok('GET', `/constellations/${c.id}`)).tiers[0].members[0].nodeId as string;

    agent = await makeRealAgent({ env: { PATH: `${shims}:${process.env.PATH}` } });
    await agent.enroll(baseUrl, (await ok('POST', '/agent-tokens', { nodeId, ttlSeconds: 600 }, 201)).token);
    const proc = agent.start();
    await eventually(async () => ((await getNode(t, nodeId)).agent?.state === 'connected' ? true : undefined), 30_000, `the agent to connect; it said: ${proc.output()}`);
    await ok('POST', '/checks', { name: 'demo-web', command: '/usr/lib/nagios/plugins/check_tcp', args: ['-H', '127.0.0.1', '-p', String(port)], intervalSeconds: 5, timeoutSeconds: 4, scope: { kind: 'node', nodeId } }, 201);
    await eventually(async () => ((await getNode(t, nodeId)).health === 'ok' ? true : undefined), 60_000, `the check to pass; the agent said: ${proc.output()}`);

    // The service stops: the check fails, and after the grace period the agent is asked to restart it.
    await new Promise<void>((resolve) => service!.close(() => resolve()));
    await eventually(async () => ((await calls()) ? true : undefined), WAIT_MS, 'systemctl to be called on the node');
    service = await listen(port);

    const tier = async () => (await ok('GET', `/constellations/${c.id}/guarantee`)).tiers[0];
    const attempt = await eventually(async () => (await tier()).attempts.find((a: { outcome: string | null }) => a.outcome), WAIT_MS, 'the restart to be judged');
    expect(attempt).toMatchObject({ key: 'web-1', nodeId, step: 'restart-service', outcome: 'recovered' });
    expect(await calls()).toBe('restart demo-web.service\n');
    const job = await ok('GET', `/jobs/${attempt.jobId}`);
    expect(job).toMatchObject({ type: 'nodes.run', state: 'succeeded', result: { results: [expect.objectContaining({ nodeId, exitCode: 0, ok: true })] } });
    // Run by the member's agent (the dummy node has no SSH login to run it otherwise).
    expect(await t.app.db.query(`SELECT kind, state, exit_code FROM agent_runs WHERE job_id = $1`, [attempt.jobId])).toEqual([{ kind: 'command', state: 'succeeded', exit_code: 0 }]);
    expect((await tier()).members.map((m: { status: string }) => m.status)).toEqual(['healthy']);
  }, 300_000);
});
