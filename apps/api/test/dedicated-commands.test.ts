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
  const command = 'echo "hello from $(id -un)"; [ "$(id -u)" -eq 0 ]';

  it('runs on three nodes: output lines by node name in the job log, an exit code per node', async () => {
    const res = await run({ nodeIds: [ids['cmd-1'], ids['cmd-2'], ids['cmd-3']], command, concurrency: 2, timeoutSeconds: 30 });
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
        '[cmd-1] hello from root',
        '[cmd-2] hello from root',
        `[cmd-3] hello from ${sshd.users[0]!.username}`,
        '[cmd-1] exit code 0',
        '[cmd-3] exit code 1',
        '2 of 3 node(s) exited 0',
      ]),
    );

    const audit = (await d.call('admin', { method: 'GET', url: '/api/v1/audit-events?action=nodes.run' })).json().items;
    expect(audit[0]).toMatchObject({ actorName: 'operator', targetId: job.id, details: { command, nodeIds: [ids['cmd-1'], ids['cmd-2'], ids['cmd-3']] } });
  });

  it('reports a node that cannot be reached with its error, and still runs on the others', async () => {
    const job = await waitForJob(d.t, (await run({ nodeIds: [ids['cmd-4'], ids['cmd-1']], command: 'echo still-here' })).json().id, 30_000);
    expect(job.state).toBe('succeeded');
    const [unreachable, reached] = job.result.results;
    expect(unreachable).toMatchObject({ nodeId: ids['cmd-4'], exitCode: null, ok: false, error: expect.stringMatching(/^SSH connection to .* failed/) });
    expect(reached).toEqual({ nodeId: ids['cmd-1'], exitCode: 0, ok: true });
    expect(await jobLines(d, job.id)).toEqual(expect.arrayContaining(['[cmd-1] still-here', expect.stringMatching(/^\[cmd-4\] did not run: SSH connection/)]));
  });

  it('keeps output with a NUL byte and a 1 MB line of control characters in the log, visibly and in order, with the exit code', async () => {
    const hostile = `printf 'before\\n'; printf 'a\\0b\\n'; head -c 1048576 /dev/zero | tr '\\0' '\\1'; printf '\\nafter\\n'`;
    const job = await waitForJob(d.t, (await run({ nodeIds: [ids['cmd-1']], command: hostile, timeoutSeconds: 60 })).json().id, 60_000);
    expect(job.state, job.error).toBe('succeeded');
    expect(job.result.results).toEqual([{ nodeId: ids['cmd-1'], exitCode: 0, ok: true }]);
    const lines = (await d.call('observer', { method: 'GET', url: `/api/v1/jobs/${job.id}/logs?limit=5000` })).json().items.map((l: { line: string }) => l.line);
    const control = lines.filter((l: string) => l.includes('\u2401'));
    expect(control.length).toBeGreaterThan(0);
    // Each control character is either shown or counted as not stored: none vanished.
    let accounted = 0;
    for (const line of control) {
      const [, shown, cut] = /^\[cmd-1\] (\u2401+)… \[(\d+) more characters not stored\]$/.exec(line) ?? [];
      expect(shown, line.slice(0, 40)).toBeDefined();
      accounted += shown!.length + Number(cut);
    }
    expect(accounted).toBe(1024 * 1024);
    const at = (line: string) => lines.indexOf(line);
    const first = at(control[0]);
    expect(at('[cmd-1] before')).toBeGreaterThan(0);
    expect(at('[cmd-1] a\u2400b')).toBe(at('[cmd-1] before') + 1);
    expect(first).toBe(at('[cmd-1] a\u2400b') + 1);
    expect(at('[cmd-1] after')).toBe(first + control.length);
    expect(at('[cmd-1] exit code 0')).toBeGreaterThan(at('[cmd-1] after'));
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
