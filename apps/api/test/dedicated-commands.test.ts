/** The command runner: one shell command on several registered servers (a real sshd), through one job. */
import { randomUUID } from 'node:crypto';
import { startSshd, type SshdFixture } from '@overmind/ssh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeaks, jobLines, registerNode, sshRegistration, startDedicatedApi, type DedicatedTest } from './support/dedicated-steps.js';
import { createDummyProvider, waitForJob } from './support/test-app.js';

let d: DedicatedTest;
let sshd: SshdFixture;
let gone: SshdFixture;
const ids: Record<string, string> = {};

beforeAll(async () => {
  [d, sshd, gone] = await Promise.all([startDedicatedApi(), startSshd({ users: [{ sudo: 'none' }] }), startSshd()]);
  const user = sshd.users[0]!;
  const registrations = {
    'cmd-1': sshRegistration(sshd),
    'cmd-2': sshRegistration(sshd),
    'cmd-3': { address: sshd.host, ssh: { port: sshd.port, username: user.username, password: user.password } },
    'cmd-4': sshRegistration(gone),
  };
  await Promise.all(
    Object.entries(registrations).map(async ([name, registration]) => {
      const { job, nodeId } = await registerNode(d, name, registration);
      expect(job.state, job.error).toBe('succeeded');
      ids[name] = nodeId;
    }),
  );
  // cmd-4's server goes away after registration.
  await gone.stop();
});
afterAll(async () => {
  await Promise.all([d?.close(), sshd?.stop()]);
});

const run = (payload: Record<string, unknown>) => d.call('operator', { method: 'POST', url: '/api/v1/nodes/actions/run', payload });

describe('running a command on registered servers', () => {
  // Exits 0 for the fixture's login user only.
  const command = () => `echo "hello from $(id -un)"; [ "$(id -un)" = '${sshd.username}' ]`;

  it('runs on three nodes: output lines by node name in the job log, an exit code per node', async () => {
    const res = await run({ nodeIds: [ids['cmd-1'], ids['cmd-2'], ids['cmd-3']], command: command(), concurrency: 2, timeoutSeconds: 30 });
    expect(res.statusCode, res.body).toBe(202);
    const queued = res.json();
    expect(queued).toMatchObject({ type: 'nodes.run', targetType: 'node', targetId: ids['cmd-1'], providerId: d.providerId });
    expect(res.headers.location).toBe(`/api/v1/jobs/${queued.id}`);

    const job = await waitForJob(d.t, queued.id, 30_000);
    expect(job).toMatchObject({ state: 'succeeded', maxAttempts: 1 });
    expect(job.result.results).toEqual([
      { nodeId: ids['cmd-1'], exitCode: 0, ok: true },
      { nodeId: ids['cmd-2'], exitCode: 0, ok: true },
      { nodeId: ids['cmd-3'], exitCode: 1, ok: false },
    ]);
    const lines = await jobLines(d, job.id);
    expect(lines).toEqual(
      expect.arrayContaining([
        `[cmd-1] hello from ${sshd.username}`,
        `[cmd-2] hello from ${sshd.username}`,
        `[cmd-3] hello from ${sshd.users[0]!.username}`,
        '[cmd-1] exit code 0',
        '[cmd-3] exit code 1',
        '2 of 3 node(s) exited 0',
      ]),
    );

    const audit = (await d.call('admin', { method: 'GET', url: '/api/v1/audit-events?action=nodes.run' })).json().items;
    expect(audit[0]).toMatchObject({ actorName: 'operator', targetId: job.id, details: { command: command(), nodeIds: [ids['cmd-1'], ids['cmd-2'], ids['cmd-3']] } });
  });

  it('reports a node that cannot be reached with its error, and still runs on the others', async () => {
    const job = await waitForJob(d.t, (await run({ nodeIds: [ids['cmd-4'], ids['cmd-1']], command: 'echo still-here' })).json().id, 30_000);
    expect(job.state).toBe('succeeded');
    const [unreachable, reached] = job.result.results;
    expect(unreachable).toMatchObject({ nodeId: ids['cmd-4'], exitCode: null, ok: false, error: expect.stringMatching(/^SSH connection to .* failed/) });
    expect(reached).toEqual({ nodeId: ids['cmd-1'], exitCode: 0, ok: true });
    expect(await jobLines(d, job.id)).toEqual(expect.arrayContaining(['[cmd-1] still-here', expect.stringMatching(/^\[cmd-4\] did not run: SSH connection/)]));
  });

  it('refuses nodes that cannot run commands (409 naming them) and unknown nodes (404)', async () => {
    const dummy = await createDummyProvider(d.t);
    const created = await d.call('operator', {
      method: 'POST',
      url: '/api/v1/nodes',
      payload: { providerId: dummy.id, name: 'cloud-1', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' },
    });
    await waitForJob(d.t, created.json().id);
    const refused = await run({ nodeIds: [ids['cmd-1'], created.json().targetId], command: 'true' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toBe('Cannot run commands on cloud-1 (Dummy (in-memory) providers cannot run commands)');

    const missing = randomUUID();
    const unknown = await run({ nodeIds: [ids['cmd-1'], missing], command: 'true' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toBe(`Node ${missing} does not exist`);
    const tooMany = await run({ nodeIds: Array.from({ length: 501 }, () => randomUUID()), command: 'true' });
    expect(tooMany.statusCode).toBe(400);
  });

  it('never shows the SSH password or the private key in a response, the log or a job log', async () => {
    const keyLines = sshd.privateKey.split('\n').filter((l) => l && !l.startsWith('-----'));
    await expectNoLeaks(d, [sshd.users[0]!.password, ...keyLines]);
  });
});
