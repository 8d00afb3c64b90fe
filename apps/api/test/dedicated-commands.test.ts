/** The command runner: one shell command on several registered servers (a real sshd), through one job. */
import { randomUUID } from 'node:crypto';
import { processesMatching, startSshd, type SshdFixture } from '@overmind/ssh/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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

  it("keeps each user's command history, newest first, with the job's state", async () => {
    const first = await waitForJob(d.t, (await run({ nodeIds: [ids['cmd-1']], command: 'echo history-one' })).json().id, 30_000);
    const second = (await run({ nodeIds: [ids['cmd-1'], ids['cmd-2']], command: 'echo history-two' })).json();
    await waitForJob(d.t, second.id, 30_000);
    const mine = await d.call('operator', { method: 'GET', url: '/api/v1/nodes/actions/run/history?limit=2' });
    expect(mine.statusCode, mine.body).toBe(200);
    const page = mine.json();
    expect(page.total).toBeGreaterThanOrEqual(3);
    expect(page.items).toEqual([
      expect.objectContaining({ command: 'echo history-two', nodeIds: [ids['cmd-1'], ids['cmd-2']], jobId: second.id, jobState: 'succeeded' }),
      expect.objectContaining({ command: 'echo history-one', nodeIds: [ids['cmd-1']], jobId: first.id, jobState: 'succeeded' }),
    ]);
    // Another user's history holds none of them.
    const theirs = await d.call('admin', { method: 'GET', url: '/api/v1/nodes/actions/run/history' });
    expect(theirs.json()).toMatchObject({ items: [], total: 0 });
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
    expect(refused.json().detail).toBe('Cannot run commands on cloud-1 (Dummy (in-memory) providers cannot run commands): commands need a registered server or an enrolled agent');

    const missing = randomUUID();
    const unknown = await run({ nodeIds: [ids['cmd-1'], missing], command: 'true' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toBe(`Node ${missing} does not exist`);
    const tooMany = await run({ nodeIds: Array.from({ length: 501 }, () => randomUUID()), command: 'true' });
    expect(tooMany.statusCode).toBe(400);
  });

  it('passes env to the command; the values are sealed, masked in the output, and on no command line, job log or audit event', async () => {
    const secret = `pw-${randomUUID()}`;
    const env = { DB_PASSWORD: secret, PIN: '42' };
    const command = 'echo "length ${#DB_PASSWORD}"; printenv DB_PASSWORD; echo "pin=$PIN"; sleep 2.25';
    const res = await run({ nodeIds: [ids['cmd-1'], ids['cmd-3']], command, env, timeoutSeconds: 120 });
    expect(res.statusCode, res.body).toBe(202);
    const db = new pg.Client({ connectionString: d.t.databaseUrl });
    await db.connect();
    try {
      const payload = async () => (await db.query('SELECT payload FROM jobs WHERE id = $1', [res.json().id])).rows[0].payload;
      // While the command runs (as root on cmd-1, as a plain user on cmd-3), no process on the host shows the value.
      await vi.waitFor(async () => expect(await processesMatching('sleep 2.25')).not.toEqual([]), { timeout: 90_000, interval: 50 });
      expect(await processesMatching(secret)).toEqual([]);
      expect(await payload()).toMatchObject({ envNames: ['DB_PASSWORD', 'PIN'], envSealed: expect.stringMatching(/^v1\./) });

      const job = await waitForJob(d.t, res.json().id, 120_000);
      expect(job.result.results).toEqual([
        { nodeId: ids['cmd-1'], exitCode: 0, ok: true },
        { nodeId: ids['cmd-3'], exitCode: 0, ok: true },
      ]);
      const lines = await jobLines(d, job.id);
      expect(lines).toEqual(expect.arrayContaining([
        `[cmd-1] length ${secret.length}`,
        '[cmd-1] ***',
        '[cmd-3] ***',
        // Values shorter than four characters are not masked.
        '[cmd-1] pin=42',
        expect.stringMatching(/\(environment: DB_PASSWORD, PIN\): echo/),
      ]));
      // Once the job ran its sealed variables are dropped; the names stay.
      expect(await payload()).toEqual({ nodeIds: [ids['cmd-1'], ids['cmd-3']], command, timeoutSeconds: 120, envNames: ['DB_PASSWORD', 'PIN'] });
      const audit = (await d.call('admin', { method: 'GET', url: `/api/v1/audit-events?action=nodes.run&targetId=${job.id}` })).json().items;
      expect(audit[0].details).toEqual({ command, nodeIds: [ids['cmd-1'], ids['cmd-3']], env: ['DB_PASSWORD', 'PIN'] });
      const stored = await db.query(
        `SELECT (SELECT string_agg(payload::text || coalesce(result::text, '') || coalesce(error, ''), ' ') FROM jobs) AS jobs,
                (SELECT string_agg(line, ' ') FROM job_logs) AS logs, (SELECT string_agg(details::text, ' ') FROM audit_events) AS audit,
                (SELECT string_agg(command, ' ') FROM command_history) AS history`,
      );
      for (const [table, text] of Object.entries(stored.rows[0] as Record<string, string>)) expect(text.includes(secret), `secret in ${table}`).toBe(false);
      await expectNoLeaks(d, [secret]);
    } finally {
      await db.end();
    }
  }, 240_000);

  it('refuses env names a shell cannot take, NUL in values, and too many variables (400 naming the field)', async () => {
    const bad = async (env: Record<string, string>) => {
      const refused = await run({ nodeIds: [ids['cmd-1']], command: 'true', env });
      expect(refused.statusCode, refused.body).toBe(400);
      return refused.json().detail as string;
    };
    expect(await bad({ 'NOT-A-NAME': 'x' })).toMatch(/body\.env/);
    expect(await bad({ '1ST': 'x' })).toMatch(/body\.env/);
    expect(await bad({ A: 'x\u0000y' })).toMatch(/body\.env\.A/);
    expect(await bad(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`V${i}`, 'x'])))).toMatch(/body\.env/);
    expect(await bad({ A: 'x'.repeat(16_385) })).toMatch(/body\.env\.A/);
  });

  it('never shows the SSH password or the private key in a response, the log or a job log', async () => {
    const keyLines = sshd.privateKey.split('\n').filter((l) => l && !l.startsWith('-----'));
    await expectNoLeaks(d, [sshd.users[0]!.password, ...keyLines]);
  });
});
