/**
 * Steps the dedicated-provider tests take through the real API: a provider, registered servers
 * (a real sshd, a real ipmi_sim), jobs and their logs. Every response body is kept, so a test can
 * prove a secret never left the service.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dedicatedPlugin } from '@overmind/baremetal';
import type { SshdFixture } from '@overmind/ssh/testing';
import type { InjectOptions } from 'fastify';
import pg from 'pg';
import { expect } from 'vitest';
import type { Role } from '../../src/db/entities/index.js';
import { createTestApp, waitForJob, waitForJobs, type TestApp, type TestAppOptions } from './test-app.js';

export interface DedicatedTest {
  t: TestApp;
  providerId: string;
  /** Every response body the steps saw. */
  bodies: string[];
  call(role: Role, options: InjectOptions): ReturnType<TestApp['request']>;
  close(): Promise<void>;
}

/** The API with the dedicated plugin, and one dedicated provider with short BMC timeouts and stop grace. */
export async function startDedicatedApi(options: Pick<TestAppOptions, 'env' | 'plugins'> = {}): Promise<DedicatedTest> {
  const t = await createTestApp({ env: options.env, plugins: [dedicatedPlugin, ...(options.plugins ?? [])] });
  const bodies: string[] = [];
  const call: DedicatedTest['call'] = async (role, options) => {
    const res = await t.request(role, options);
    bodies.push(res.body);
    return res;
  };
  const res = await call('operator', {
    method: 'POST',
    url: '/api/v1/providers',
    payload: {
      name: `rack-${randomUUID().slice(0, 8)}`,
      type: 'dedicated',
      credentials: {},
      // A short grace after the soft off, as an operator may set; margins for a busy machine elsewhere.
      settings: { connectTimeoutMs: 15_000, bmcTimeoutMs: 10_000, bmcRetries: 0, shutdownTimeoutMs: 2000, powerTimeoutMs: 10_000 },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const providerId = res.json().id as string;
  const jobs = await waitForJobs(t, { target: providerId }, 2);
  expect(jobs.map((j: { state: string }) => j.state)).toEqual(['succeeded', 'succeeded']);
  return { t, providerId, bodies, call, close: () => t.close() };
}

/** A registration that logs in to the fixture's sshd as its login user (passwordless sudo) with its key. */
export function sshRegistration(sshd: SshdFixture, extra: Record<string, unknown> = {}) {
  return { address: sshd.host, ssh: { port: sshd.port, username: sshd.username, privateKey: sshd.privateKey }, ...extra };
}

/** POST /providers/{id}/nodes: 202 with the node.register job; resolves with the finished job. */
export async function registerNode(d: DedicatedTest, name: string, registration: Record<string, unknown>, providerId = d.providerId, body: Record<string, unknown> = {}) {
  const res = await d.call('operator', { method: 'POST', url: `/api/v1/providers/${providerId}/nodes`, payload: { name, registration, tags: ['rack-a'], ...body } });
  expect(res.statusCode, res.body).toBe(202);
  const queued = res.json();
  expect(queued).toMatchObject({ type: 'node.register', targetType: 'node', providerId });
  expect(res.headers.location).toBe(`/api/v1/jobs/${queued.id}`);
  const job = await waitForJob(d.t, queued.id, 60_000);
  return { job, nodeId: queued.targetId as string };
}

/** POSTs an action, expects 202 and waits for the job. */
export async function runJob(d: DedicatedTest, url: string, payload?: object) {
  const res = await d.call('operator', { method: 'POST', url, ...(payload ? { payload } : {}) });
  expect(res.statusCode, res.body).toBe(202);
  return waitForJob(d.t, res.json().id, 60_000);
}

export async function getNode(d: DedicatedTest, id: string) {
  const res = await d.call('observer', { method: 'GET', url: `/api/v1/nodes/${id}` });
  expect(res.statusCode).toBe(200);
  return res.json();
}

export async function jobLines(d: DedicatedTest, jobId: string): Promise<string[]> {
  const res = await d.call('observer', { method: 'GET', url: `/api/v1/jobs/${jobId}/logs` });
  return res.json().items.map((l: { line: string }) => l.line);
}

/** The node's stored driver state, straight from the database (the API never returns it). */
export async function driverState(d: DedicatedTest, nodeId: string): Promise<Record<string, unknown> | null> {
  const client = new pg.Client({ connectionString: d.t.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT driver_state FROM nodes WHERE id = $1', [nodeId]);
    return rows[0]?.driver_state ?? null;
  } finally {
    await client.end();
  }
}

export const uname = () => execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();

/**
 * Secrets must appear nowhere the service writes: responses, the app's log, any job's log. Reads
 * every job's log through the API, so those bodies are checked too.
 */
export async function expectNoLeaks(d: DedicatedTest, secrets: string[]): Promise<void> {
  const jobs = (await d.call('admin', { method: 'GET', url: '/api/v1/jobs?limit=200' })).json().items as { id: string }[];
  for (const job of jobs) await jobLines(d, job.id);
  const audit = await d.call('admin', { method: 'GET', url: '/api/v1/audit-events?limit=200' });
  expect(audit.statusCode).toBe(200);
  const places = { responses: d.bodies.join('\n'), logs: d.t.logs.join('') };
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(8);
    for (const [where, text] of Object.entries(places)) expect(text.includes(secret), `secret found in ${where}`).toBe(false);
  }
}
