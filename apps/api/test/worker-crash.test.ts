import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliProcess } from './support/cli-process.js';
import { createTestApp, createTestDatabase, eventually, waitForJob, waitForJobs, type TestApp } from './support/test-app.js';

// Every process sharing a database must share the secret key.
const SECRET = 'crash-test-secret-key-0123456789abcdef';
const TIMINGS = { OVERMIND_JOB_TIMEOUT_SECONDS: '4', OVERMIND_MAINTENANCE_SECONDS: '1', OVERMIND_JOB_RETRIES: '2' };

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let api: TestApp;
const children: CliProcess[] = [];

function startWorker(): CliProcess {
  const worker = runCli(['worker'], { DATABASE_URL: db.url, OVERMIND_SECRET_KEY: SECRET, ...TIMINGS });
  children.push(worker);
  return worker;
}

async function jobState(id: string) {
  return (await api.request('admin', { method: 'GET', url: `/api/v1/jobs/${id}` })).json();
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await createTestApp({ database: db, worker: false, masterKey: Buffer.from(SECRET), env: TIMINGS });
});
afterAll(async () => {
  await Promise.all(children.map((c) => c.kill('SIGKILL')));
  await api?.close();
  await db?.drop();
});

describe('a worker killed mid-job (SIGKILL)', () => {
  it('loses nothing: the job is retried after its expiry by another worker and the node is made once', async () => {
    const first = startWorker();
    await first.waitFor(/Overmind is running/);
    const provider = (await api.request('operator', {
      method: 'POST',
      url: '/api/v1/providers',
      payload: { name: 'slow', type: 'dummy', credentials: { apiKey: 'k' } },
    })).json();
    await waitForJobs(api, { target: provider.id }, 2, 20_000).catch((err) => {
      throw new Error(`${err}\nworker output:\n${first.output.join('\n')}`);
    });
    // From now on every provider call takes a second: long enough to kill the worker mid-call.
    const patched = await api.request('operator', { method: 'PATCH', url: `/api/v1/providers/${provider.id}`, payload: { settings: { latencyMs: 1000 } } });
    expect(patched.statusCode).toBe(200);

    const job = (await api.request('operator', {
      method: 'POST',
      url: '/api/v1/nodes',
      payload: { providerId: provider.id, name: 'survivor', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' },
    })).json();
    await eventually(async () => ((await jobState(job.id)).state === 'running' ? true : undefined), 30_000, 'job running');
    await first.kill('SIGKILL');
    expect((await jobState(job.id)).state).toBe('running');

    const second = startWorker();
    await second.waitFor(/Overmind is running/);
    const done = await waitForJob(api, job.id, 30_000);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 2 });
    const nodes = (await api.request('observer', { method: 'GET', url: `/api/v1/nodes?search=survivor&includeGone=true` })).json();
    expect(nodes.total).toBe(1);
    expect(nodes.items[0]).toMatchObject({ state: 'running', providerNodeId: expect.stringMatching(/^dummy-/) });
    await second.kill('SIGKILL');
  }, 90_000);

  it('marks the job failed when its last attempt dies', async () => {
    const worker = startWorker();
    await worker.waitFor(/Overmind is running/);
    const provider = (await api.request('admin', { method: 'GET', url: '/api/v1/providers?search=slow' })).json().items[0];
    const node = (await api.request('observer', { method: 'GET', url: '/api/v1/nodes?search=survivor' })).json().items[0];
    // A reboot allowed no retries, queued the way the API queues jobs.
    const job = await api.app.db.transaction((m) =>
      api.app.services.jobs.enqueue(m, { type: 'node.reboot', targetType: 'node', targetId: node.id, providerId: provider.id, retries: 0 }),
    );
    await eventually(async () => ((await jobState(job.id)).state === 'running' ? true : undefined), 30_000, 'job running');
    await worker.kill('SIGKILL');

    const survivor = startWorker();
    await survivor.waitFor(/Overmind is running/);
    const done = await waitForJob(api, job.id, 30_000);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/the worker running this job stopped or timed out \(attempt 1 of 1\)/);
  }, 90_000);
});

describe('an idempotent create', () => {
  it('a create retried after the provider made the node does not make a second one', async () => {
    const t = await createTestApp();
    try {
      const provider = (await t.request('operator', {
        method: 'POST',
        url: '/api/v1/providers',
        payload: { name: 'p', type: 'dummy', credentials: { apiKey: 'k' } },
      })).json();
      await eventually(async () => ((await t.request('observer', { method: 'GET', url: `/api/v1/providers/${provider.id}` })).json().catalogRefreshedAt ? true : undefined));
      const job = (await t.request('operator', {
        method: 'POST',
        url: '/api/v1/nodes',
        payload: { providerId: provider.id, name: 'once', imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' },
      })).json();
      await waitForJob(t, job.id);
      // Simulate a worker that died after the provider created the node but before Overmind stored
      // its id: forget the provider id and run the same job again.
      await t.app.db.query(`UPDATE nodes SET provider_node_id = NULL WHERE id = $1`, [job.targetId]);
      await t.app.db.query(`UPDATE jobs SET state = 'queued' WHERE id = $1`, [job.id]);
      await t.app.boss.send('overmind-jobs', { jobId: job.id });
      const again = await eventually(async () => {
        const j = await waitForJob(t, job.id);
        return j.attempts === 2 ? j : undefined;
      });
      expect(again.state).toBe('succeeded');
      const listed = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes?providerId=${provider.id}` })).json();
      expect(listed.total).toBe(1);
      const logs = (await t.request('observer', { method: 'GET', url: `/api/v1/jobs/${job.id}/logs` })).json().items;
      expect(logs.some((l: { line: string }) => /already exists: dummy-1/.test(l.line))).toBe(true);
    } finally {
      await t.close();
    }
  });
});
