/**
 * The agent protocol as the API speaks it, driven by a scripted agent over a real WebSocket on a
 * real Postgres: enrolment, the signed handshake, refusals (forged, replayed, revoked, pending,
 * malformed, oversized), admission limits, and a command run delivered, logged once and finished once.
 */
import { CloseCode, generateAgentKeyPair, MAX_MESSAGE_BYTES } from '@overmind/agent-protocol';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enrol, ScriptedAgent } from './support/agent-client.js';
import { createNode, getNode, jobLog, registerProvider } from './support/provider-steps.js';
import { createTestApp, waitForJob, type TestApp } from './support/test-app.js';

let t: TestApp;
let baseUrl: string;
let providerId: string;

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function joinToken(nodeId: string | null, ttlSeconds = 600): Promise<string> {
  const res = await t.request('operator', { method: 'POST', url: '/api/v1/agent-tokens', payload: { ttlSeconds, ...(nodeId ? { nodeId } : {}) } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().token;
}

async function newNode(name: string): Promise<string> {
  const { node } = await createNode(t, { providerId, name, imageId: 'debian-12', sizeId: 'small', locationId: 'lab-1' });
  return node.id;
}

/** A node with an enrolled, connected scripted agent. */
async function connectedAgent(name: string) {
  const nodeId = await newNode(name);
  const identity = await enrol(baseUrl, await joinToken(nodeId));
  const agent = await ScriptedAgent.open(baseUrl);
  await agent.hello(identity);
  await agent.next('welcome');
  await until('node shows its agent connected', async () => (await getNode(t, nodeId)).agent?.state === 'connected');
  return { nodeId, identity, agent };
}

beforeAll(async () => {
  t = await createTestApp({ env: { OVERMIND_AGENT_HANDSHAKES: '3', OVERMIND_AGENT_HEARTBEAT_SECONDS: '2' } });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  ({ provider: { id: providerId } } = await registerProvider(t, { name: 'lab', type: 'dummy', credentials: { apiKey: 'k-lab' } }));
}, 120_000);
afterAll(() => t?.close());

describe('enrolment', () => {
  it('spends a bound token once, binds the agent to the node and never shows the token again', async () => {
    const nodeId = await newNode('enrol-1');
    const created = await t.request('operator', { method: 'POST', url: '/api/v1/agent-tokens', payload: { nodeId, ttlSeconds: 300, description: 'web' } });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^omj_/);
    const listed = await t.request('operator', { method: 'GET', url: `/api/v1/agent-tokens?nodeId=${nodeId}` });
    expect(listed.body).not.toContain(token);
    expect(listed.json().items).toMatchObject([{ id, state: 'valid', nodeId }]);

    const identity = await enrol(baseUrl, token);
    expect(identity).toMatchObject({ nodeId, status: 'active' });
    await expect(enrol(baseUrl, token)).rejects.toThrow(/401.*already used/);
    expect((await t.request('operator', { method: 'GET', url: `/api/v1/agent-tokens?nodeId=${nodeId}` })).json().items[0]).toMatchObject({ state: 'used', agentId: identity.agentId });
    expect((await getNode(t, nodeId)).agent).toMatchObject({ id: identity.agentId, state: 'disconnected' });
    const agent = (await t.request('observer', { method: 'GET', url: `/api/v1/agents/${identity.agentId}` })).json();
    expect(agent).toMatchObject({ status: 'active', nodeId, publicKey: identity.keys.publicKey, connected: false });
    expect(JSON.stringify(agent)).not.toContain('PRIVATE');

    // The database holds only the token's hash.
    const [row] = await t.app.db.query('SELECT token_hash FROM agent_tokens WHERE id = $1', [id]);
    expect(row.token_hash).not.toContain(token.slice(4));
  });

  it('refuses expired, revoked and unknown tokens, and bad public keys, by name', async () => {
    const revokedToken = await joinToken(null);
    const tokens = (await t.request('operator', { method: 'GET', url: '/api/v1/agent-tokens?state=valid' })).json().items;
    const revokeId = tokens.find((x: { prefix: string }) => revokedToken.startsWith(x.prefix)).id;
    expect((await t.request('operator', { method: 'DELETE', url: `/api/v1/agent-tokens/${revokeId}` })).json().state).toBe('revoked');
    await expect(enrol(baseUrl, revokedToken)).rejects.toThrow(/401/);
    await expect(enrol(baseUrl, 'omj_made-up-token-value')).rejects.toThrow(/401/);
    const expiring = await joinToken(null);
    await t.app.db.query(`UPDATE agent_tokens SET expires_at = now() - interval '1 second' WHERE prefix = $1`, [expiring.slice(0, 10)]);
    await expect(enrol(baseUrl, expiring)).rejects.toThrow(/401.*expired/);
    const bad = await fetch(`${baseUrl}/api/v1/agent/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: await joinToken(null), publicKey: 'not-a-key', hostname: 'x', agentVersion: '1' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/publicKey/);
    const tooLong = await t.request('operator', { method: 'POST', url: '/api/v1/agent-tokens', payload: { ttlSeconds: 31 * 86400 } });
    expect(tooLong.statusCode).toBe(400);
  });

  it('holds an unbound agent for approval, then lets it in once approved', async () => {
    const identity = await enrol(baseUrl, await joinToken(null));
    expect(identity).toMatchObject({ status: 'pending', nodeId: null });
    const waiting = await ScriptedAgent.open(baseUrl);
    await waiting.hello(identity);
    expect((await waiting.closed).code).toBe(CloseCode.pendingApproval);
    const pending = (await t.request('observer', { method: 'GET', url: '/api/v1/agents?status=pending' })).json();
    expect(pending.items.map((a: { id: string }) => a.id)).toContain(identity.agentId);

    const nodeId = await newNode('approved-1');
    const approved = await t.request('operator', { method: 'POST', url: `/api/v1/agents/${identity.agentId}/approve`, payload: { nodeId } });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'active', nodeId });
    const agent = await ScriptedAgent.open(baseUrl);
    await agent.hello(identity);
    expect(await agent.next('welcome')).toMatchObject({ agentId: identity.agentId, nodeId, heartbeatSeconds: 2 });
    agent.close();

    const other = await enrol(baseUrl, await joinToken(null));
    expect((await t.request('operator', { method: 'POST', url: `/api/v1/agents/${other.agentId}/reject` })).json().status).toBe('rejected');
    const rejected = await ScriptedAgent.open(baseUrl);
    await rejected.hello(other);
    expect((await rejected.closed).code).toBe(CloseCode.forbidden);
  });
});

describe('connections', () => {
  it('shows the agent connected, live, and disconnected when it goes', async () => {
    const { nodeId, agent, identity } = await connectedAgent('conn-1');
    const listed = (await t.request('observer', { method: 'GET', url: `/api/v1/nodes?search=conn-1` })).json().items[0];
    expect(listed.agent).toMatchObject({ id: identity.agentId, state: 'connected' });
    agent.send({ type: 'heartbeat', seq: 1, uptimeSeconds: 1, running: [] });
    agent.close();
    await until('node shows its agent disconnected', async () => (await getNode(t, nodeId)).agent?.state === 'disconnected');
  });

  it('refuses a forged hello and a hello replayed from another connection', async () => {
    const { identity, agent } = await connectedAgent('forged-1');
    const forger = await ScriptedAgent.open(baseUrl);
    await forger.hello({ agentId: identity.agentId, keys: generateAgentKeyPair() });
    expect((await forger.closed).code).toBe(CloseCode.unauthorized);

    // A hello recorded on one connection (signed over its nonce) replayed on another.
    const spy = await ScriptedAgent.open(baseUrl);
    const recorded = await spy.next('challenge');
    spy.close();
    const replayer = await ScriptedAgent.open(baseUrl);
    await replayer.next('challenge');
    const { loadPrivateKey, signText, helloSigningText } = await import('@overmind/agent-protocol');
    replayer.send({
      type: 'hello', version: 1, agentId: identity.agentId, agentVersion: 'x', hostname: 'x', capabilities: [], runs: [], lastRunId: null,
      signature: signText(loadPrivateKey(identity.keys.privateKeyPem), helloSigningText(recorded.nonce, identity.agentId)),
    });
    expect((await replayer.closed).code).toBe(CloseCode.unauthorized);
    // The genuine agent was never disturbed.
    expect(agent.socket.readyState).toBe(agent.socket.OPEN);
    agent.close();
  });

  it('closes malformed, unknown, binary, early and oversized messages with a protocol code, and keeps serving', async () => {
    const cases: [string, (a: ScriptedAgent) => void, number][] = [
      ['not JSON', (a) => a.sendRaw('{nope'), CloseCode.malformed],
      ['unknown type', (a) => a.send({ type: 'shell', command: 'id' }), CloseCode.malformed],
      ['off its schema', (a) => a.send({ type: 'hello', version: 'one' }), CloseCode.malformed],
      ['before hello', (a) => a.send({ type: 'heartbeat', seq: 1, uptimeSeconds: 1, running: [] }), CloseCode.malformed],
      ['binary', (a) => a.sendRaw(Buffer.from([1, 2, 3])), CloseCode.malformed],
      ['oversized', (a) => a.sendRaw('x'.repeat(MAX_MESSAGE_BYTES + 10)), 1009],
    ];
    for (const [what, send, code] of cases) {
      const a = await ScriptedAgent.open(baseUrl);
      await a.next('challenge');
      send(a);
      expect((await a.closed).code, what).toBe(code);
    }
    const health = await fetch(`${baseUrl}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(t.logs.join('')).toMatch(/agent protocol error; closing/);
  });

  it('closes a revoked agent at once and refuses it after', async () => {
    const { agent, identity, nodeId } = await connectedAgent('revoke-1');
    const res = await t.request('operator', { method: 'POST', url: `/api/v1/agents/${identity.agentId}/revoke` });
    expect(res.json()).toMatchObject({ status: 'revoked' });
    expect((await agent.closed).code).toBe(CloseCode.forbidden);
    expect((await getNode(t, nodeId)).agent).toBeNull();
    const again = await ScriptedAgent.open(baseUrl);
    await again.hello(identity);
    expect((await again.closed).code).toBe(CloseCode.forbidden);
  });

  it('admits only so many handshakes at once, and closes a silent socket', async () => {
    const silent = await Promise.all([1, 2, 3].map(() => ScriptedAgent.open(baseUrl)));
    const fourth = await ScriptedAgent.open(baseUrl);
    expect((await fourth.closed).code).toBe(CloseCode.tryLater);
    const codes = await Promise.all(silent.map((s) => s.closed));
    expect(codes.map((c) => c.code)).toEqual([CloseCode.handshakeTimeout, CloseCode.handshakeTimeout, CloseCode.handshakeTimeout]);
  }, 60_000);

  it('frees an admission slot at welcome, not after the work that follows it', async () => {
    const agents = await Promise.all(['slot-1', 'slot-2', 'slot-3'].map(async (name) => {
      const nodeId = await newNode(name);
      return enrol(baseUrl, await joinToken(nodeId));
    }));
    // The pending-run lookup that follows every welcome waits behind this lock, as it would on a busy database.
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      await db.query('BEGIN');
      await db.query('LOCK TABLE agent_runs IN ACCESS EXCLUSIVE MODE');
      const welcomed = await Promise.all(agents.map(async (identity) => {
        const agent = await ScriptedAgent.open(baseUrl);
        await agent.hello(identity);
        await agent.next('welcome');
        return agent;
      }));
      // Three agents in (the limit is 3), their lookups stuck: a fourth is still let in to say hello.
      const fourth = await ScriptedAgent.open(baseUrl);
      await fourth.next('challenge', 5000);
      expect(await Promise.race([fourth.closed, new Promise((r) => setTimeout(() => r('open'), 1000))])).toBe('open');
      fourth.close();
      await db.query('ROLLBACK');
      for (const agent of welcomed) agent.close();
    } finally {
      await db.end();
    }
  });

  it('stores facts once per hash: the same facts sent again after a reconnect are not written again', async () => {
    const { agent, identity } = await connectedAgent('facts-1');
    const facts = { hostname: 'facts-1', kernel: '6.1.0' };
    const hash = 'a'.repeat(64);
    agent.send({ type: 'facts', hash, facts });
    const stored = async () => (await t.request('observer', { method: 'GET', url: `/api/v1/agents/${identity.agentId}` })).json().facts;
    await until('facts stored', async () => (await stored())?.kernel === '6.1.0');
    agent.close();
    const again = await ScriptedAgent.open(baseUrl);
    await again.hello(identity);
    await again.next('welcome');
    // Same hash: nothing to write, even if the body differed. Messages are handled in order, so the ack
    // of a later message (a log line of a run that is not this node's) says the facts were handled.
    again.send({ type: 'facts', hash, facts: { ...facts, kernel: 'not-written' } });
    const marker = randomUUID();
    again.send({ type: 'run.log', runId: marker, seq: 1, lines: [{ stream: 'stdout', text: 'marker' }] });
    await until('the marker acked', async () => again.all('run.ack').some((a) => a.runId === marker));
    expect((await stored())?.kernel).toBe('6.1.0');
    // A new hash is written.
    again.send({ type: 'facts', hash: 'b'.repeat(64), facts: { ...facts, kernel: '6.12.0' } });
    await until('new facts stored', async () => (await stored())?.kernel === '6.12.0');
    again.close();
  });

  it('replaces an older connection of the same agent', async () => {
    const { agent, identity } = await connectedAgent('replace-1');
    const second = await ScriptedAgent.open(baseUrl);
    await second.hello(identity);
    await second.next('welcome');
    expect((await agent.closed).code).toBe(CloseCode.replaced);
    second.close();
  });

  it('looks up and records agents saying hello at once together: a few queries, not three or four for each', async () => {
    // A process of its own, admitting them all at once (the shared one admits three).
    const other = await createTestApp({ worker: false, database: { url: t.databaseUrl, drop: async () => {} }, masterKey: t.masterKey, env: { OVERMIND_AGENT_HANDSHAKES: '100' } });
    try {
      const otherUrl = await other.app.listen({ port: 0, host: '127.0.0.1' });
      const identities: Awaited<ReturnType<typeof enrol>>[] = [];
      for (let i = 0; i < 30; i++) identities.push(await enrol(baseUrl, await joinToken(await newNode(`burst-${i}`))));
      const agents = await Promise.all(identities.map(() => ScriptedAgent.open(otherUrl)));
      await Promise.all(agents.map((a) => a.next('challenge')));
      const query = vi.spyOn(other.app.db, 'query');
      // Identity lookups, `connected` signals and pending-run lookups: the handshake's round trips.
      const handshakeQueries = () => query.mock.calls.filter(([sql]) => /FROM agents WHERE id|pg_notify|FROM agent_runs WHERE node_id/.test(String(sql))).length;
      // Every hello sent in one go, as after a restart.
      await Promise.all(agents.map((a, i) => a.hello(identities[i]!)));
      await Promise.all(agents.map((a) => a.next('welcome')));
      await until('pending runs looked up', async () => query.mock.calls.filter(([sql]) => /FROM agent_runs WHERE node_id/.test(String(sql))).length > 0);
      await new Promise((r) => setTimeout(r, 500));
      expect(handshakeQueries(), 'one query per agent or more: not batched').toBeLessThan(agents.length);
      // Their first facts, all at once, are one write or a few.
      const hash = 'c'.repeat(64);
      for (const a of agents) a.send({ type: 'facts', hash, facts: { kernel: 'burst' } });
      const db = new pg.Client({ connectionString: t.databaseUrl });
      await db.connect();
      await until('facts stored', async () => (await db.query('SELECT count(*)::int AS n FROM agents WHERE facts_hash = $1', [hash])).rows[0].n === agents.length);
      await db.end();
      expect(query.mock.calls.filter(([sql]) => /SET facts/.test(String(sql))).length, 'one write per agent: not batched').toBeLessThan(agents.length);
      query.mockRestore();
      // The batched `connected` signal still reaches the other process: one of them connecting there
      // closes its connection here.
      const again = await ScriptedAgent.open(baseUrl);
      await again.hello(identities[0]!);
      await again.next('welcome');
      expect((await agents[0]!.closed).code).toBe(CloseCode.replaced);
      again.close();
      for (const a of agents) a.close();
    } finally {
      await other.close();
    }
  }, 90_000);

  it('tells its agents that the server restarts when it stops, and records them disconnected', async () => {
    // A second API process on the same database, stopped while an agent is connected to it.
    const other = await createTestApp({ worker: false, database: { url: t.databaseUrl, drop: async () => {} }, masterKey: t.masterKey });
    let stopped = false;
    try {
      const otherUrl = await other.app.listen({ port: 0, host: '127.0.0.1' });
      const nodeId = await newNode('restart-1');
      const identity = await enrol(baseUrl, await joinToken(nodeId));
      const agent = await ScriptedAgent.open(otherUrl);
      await agent.hello(identity);
      await agent.next('welcome');
      await until('node shows its agent connected', async () => (await getNode(t, nodeId)).agent?.state === 'connected');
      stopped = true;
      await other.close();
      expect(await agent.closed).toMatchObject({ code: CloseCode.serviceRestart });
      expect((await getNode(t, nodeId)).agent).toMatchObject({ state: 'disconnected' });
    } finally {
      if (!stopped) await other.close();
    }
  }, 60_000);
});

describe('runs', () => {
  it('delivers a command to the agent, stores re-sent lines and results once, and ends the job', async () => {
    const { agent, nodeId } = await connectedAgent('run-1');
    const res = await t.request('operator', { method: 'POST', url: '/api/v1/nodes/actions/run', payload: { nodeIds: [nodeId], command: 'echo hi', timeoutSeconds: 30, env: { SECRET_TOKEN: 's3cr3t-value' } } });
    expect(res.statusCode, res.body).toBe(202);
    const jobId = res.json().id;
    const offer = await agent.next('run.offer');
    expect(offer.run).toMatchObject({ kind: 'command', spec: { command: 'echo hi', timeoutSeconds: 30, env: { SECRET_TOKEN: 's3cr3t-value' } } });
    const runId = offer.run.id;
    agent.send({ type: 'run.accepted', runId });
    agent.send({ type: 'run.log', runId, seq: 1, lines: [{ stream: 'stdout', text: 'hi' }, { stream: 'stderr', text: 'token s3cr3t-value' }] });
    // Lost ack: the agent sends them again, with one more.
    agent.send({ type: 'run.log', runId, seq: 1, lines: [{ stream: 'stdout', text: 'hi' }, { stream: 'stderr', text: 'token s3cr3t-value' }, { stream: 'stdout', text: 'bye' }] });
    const finished = { type: 'run.finished', runId, outcome: 'succeeded', exitCode: 0, signal: null, summary: null, error: null, logLines: 3, durationMs: 12 } as const;
    agent.send(finished);
    agent.send(finished);
    const job = await waitForJob(t, jobId, 20_000);
    expect(job).toMatchObject({ state: 'succeeded', result: { results: [{ nodeId, exitCode: 0, ok: true }] } });
    const acks = await until('both finished acks', async () => (agent.all('run.ack').filter((a) => a.finished).length === 2 ? agent.all('run.ack') : null));
    expect(acks.filter((a) => !a.finished).map((a) => a.logSeq)).toEqual([2, 3]);
    const log = await jobLog(t, jobId);
    expect(log.filter((l) => l === '[run-1] hi')).toHaveLength(1);
    expect(log.filter((l) => l === '[run-1] bye')).toHaveLength(1);
    expect(log).toContain('[run-1] token ***');
    expect(log.join('\n')).not.toContain('s3cr3t-value');
    expect(log).toContain('[run-1] exit code 0');
    agent.close();
  });

  it('offers a run queued while the agent was away when it comes back, and cancels it on the node', async () => {
    const nodeId = await newNode('away-1');
    const identity = await enrol(baseUrl, await joinToken(nodeId));
    const res = await t.request('operator', { method: 'POST', url: '/api/v1/nodes/actions/run', payload: { nodeIds: [nodeId], command: 'sleep 100' } });
    const jobId = res.json().id;
    await until('job waits on its agent', async () => (await t.request('observer', { method: 'GET', url: `/api/v1/jobs/${jobId}` })).json().state === 'running');
    const agent = await ScriptedAgent.open(baseUrl);
    await agent.hello(identity);
    const offer = await agent.next('run.offer');
    agent.send({ type: 'run.accepted', runId: offer.run.id });
    await until('run accepted', async () => (await jobLog(t, jobId)).some((l) => l.includes('the agent took the run')));
    const cancel = await t.request('operator', { method: 'POST', url: `/api/v1/jobs/${jobId}/cancel` });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(await agent.next('run.cancel')).toMatchObject({ runId: offer.run.id, reason: expect.stringMatching(/cancelled by operator/) });
    const job = await waitForJob(t, jobId, 20_000);
    expect(job.state).toBe('cancelled');
    // The agent's late report changes nothing.
    agent.send({ type: 'run.finished', runId: offer.run.id, outcome: 'cancelled', exitCode: null, signal: 'SIGTERM', summary: null, error: 'cancelled', logLines: 0, durationMs: 5 });
    await agent.next('run.ack');
    expect((await t.request('observer', { method: 'GET', url: `/api/v1/jobs/${jobId}` })).json().state).toBe('cancelled');
    agent.close();
  });

  it('fails a run nobody takes by its deadline, saying why', async () => {
    const nodeId = await newNode('deadline-1');
    await enrol(baseUrl, await joinToken(nodeId));
    const res = await t.request('operator', { method: 'POST', url: '/api/v1/nodes/actions/run', payload: { nodeIds: [nodeId], command: 'true' } });
    const jobId = res.json().id;
    await until('the run exists', async () => (await t.app.db.query('SELECT id FROM agent_runs WHERE job_id = $1', [jobId])).length === 1);
    await t.app.db.query(`UPDATE agent_runs SET deadline = now() - interval '1 second' WHERE job_id = $1`, [jobId]);
    const job = await waitForJob(t, jobId, 30_000);
    expect(job).toMatchObject({ state: 'succeeded', result: { results: [{ nodeId, ok: false, exitCode: null, error: expect.stringMatching(/no agent took the run before its deadline/) }] } });
    expect((await jobLog(t, jobId)).join('\n')).toMatch(/\[deadline-1\] did not run to an exit code: no agent took the run/);
  });
});
