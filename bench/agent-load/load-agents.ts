/**
 * The load process: thousands of agents speaking protocol version 1 over real WebSockets, as the
 * real agent does (docs/agent-protocol.md): answer the challenge with a signed hello, send facts when
 * welcome asks, heartbeat (with a WebSocket ping) every `heartbeatSeconds`, take each offered run
 * (accepted, one log line, finished), and reconnect after any close but a final one, backing off
 * exponentially from 1 s to 60 s with full jitter (reset after a connection that lasted a minute).
 * It runs in a process of its own (forked by agent-bench.ts) so that its CPU is not the server's.
 */
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FINAL_CLOSE_CODES, RECONNECT_BACKOFF, helloSigningText } from '@overmind/agent-protocol';
import { WebSocket } from 'ws';
import type { AgentIdentity, Command, LoadOptions, LoadStats, Reply, RunLatencies, RunRequests } from './load-messages.js';

const BACKOFF_BASE_MS = RECONNECT_BACKOFF.baseMs;
const STABLE_CONNECTION_MS = 60_000;
/** As the real agent: 30 s to open the socket, then 30 s from open to welcome. */
const OPEN_MS = 30_000;
const HANDSHAKE_MS = 30_000;

const stats: LoadStats = { connected: 0, connecting: 0, gaveUp: 0, welcomes: 0, readings: 0, attempts: 0, closes: {}, errors: {}, heartbeats: 0, offers: 0, finishedRuns: 0, lastChangeAt: 0, loopDelayMaxMs: 0, loopDelayP99Ms: 0, handshakes: { count: 0, p50Ms: 0, p95Ms: 0, maxMs: 0 } };
/** This process's own event-loop delay: were it late, the server would look slower than it is. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
/** Socket open to welcome, ms, since the last reset: the handshake as an agent waits for it. */
let handshakeMs: number[] = [];
const finishedRuns = new Set<string>();
/** Node id → when its run was requested (wall clock, ms), while its offer is awaited. */
const awaited = new Map<string, number>();
const delivered: RunLatencies['runs'] = [];
let stopping = false;

const now = () => performance.timeOrigin + performance.now();

/** A node's facts of the size the real agent sends (OS, kernel, CPU, memory, addresses). */
const GiB = 1024 ** 3;
const pick = (low: number, high: number) => low + Math.random() * (high - low);

function readingsOf(intervalSeconds: number): Record<string, unknown> {
  const user = pick(1, 40);
  const system = pick(1, 10);
  const iowait = pick(0, 3);
  const idle = 100 - user - system - iowait;
  const used = Math.round(pick(0.5, 3.5) * GiB);
  const fs = (mount: string, device: string, size: number, pct: number) => {
    const usedBytes = Math.round(size * pct / 100);
    return { mount, device, fstype: 'ext4', size, used: usedBytes, avail: size - usedBytes, usedPct: pct, inodes: 1_000_000, inodesUsed: 120_000 };
  };
  return {
    type: 'readings',
    at: new Date().toISOString(),
    intervalSeconds,
    cpu: { count: 2, total: 100 - idle - iowait, user, nice: 0, system, idle, iowait, irq: 0, softirq: 0, steal: 0 },
    load: [pick(0, 2), pick(0, 2), pick(0, 2)],
    memory: { total: 4 * GiB, used, available: 4 * GiB - used, free: 4 * GiB - used, buffers: 0, cached: 0, usedPct: (used / (4 * GiB)) * 100 },
    swap: { total: GiB, used: 0 },
    filesystems: [fs('/', '/dev/vda1', 40 * GiB, pick(20, 80)), fs('/var', '/dev/vdb1', 100 * GiB, pick(10, 90))],
    network: [{ iface: 'eth0', rxBytes: Math.round(pick(1e9, 2e9)), txBytes: Math.round(pick(1e9, 2e9)), rxBps: pick(0, 1e6), txBps: pick(0, 1e6) }],
    uptimeSeconds: Math.round(process.uptime()) + 86_400,
  };
}

function factsOf(index: number): { hash: string; facts: Record<string, unknown> } {
  const facts = {
    hostname: `bench-${index}`,
    os: { id: 'debian', name: 'Debian GNU/Linux', pretty_name: 'Debian GNU/Linux 12 (bookworm)', version: '12 (bookworm)', version_id: '12', version_codename: 'bookworm' },
    kernel: '6.1.0-40-amd64',
    arch: 'x64',
    cpu: { model: 'AMD EPYC 7B13', count: 2 },
    memoryBytes: 25_769_803_776,
    network: [{ name: 'eth0', mac: '02:42:ac:11:00:02', addresses: [{ family: 'IPv4', address: `10.1.${index >> 8}.${index & 255}`, cidr: `10.1.${index >> 8}.${index & 255}/16` }] }],
    nodeVersion: process.version,
    agentVersion: '0.0.0-bench',
  };
  return { hash: createHash('sha256').update(JSON.stringify(facts)).digest('hex'), facts };
}

class LoadAgent {
  #key: KeyObject;
  #ws: WebSocket | null = null;
  #welcomedAt = 0;
  #attempt = 0;
  #seq = 0;
  #timer: NodeJS.Timeout | null = null;
  #readingsTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly index: number,
    readonly identity: AgentIdentity,
    private readonly options: LoadOptions,
  ) {
    this.#key = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: identity.x, d: identity.d }, format: 'jwk' });
  }

  connect(): void {
    if (!stopping) startSoon(this);
  }

  open(): void {
    if (stopping) return;
    stats.attempts++;
    stats.connecting++;
    const localAddress = this.options.localAddresses[this.index % this.options.localAddresses.length];
    const ws = new WebSocket(this.options.url, { localAddress, perMessageDeflate: false, handshakeTimeout: OPEN_MS, maxPayload: 1024 * 1024 });
    this.#ws = ws;
    let welcomed = false;
    let handshake: NodeJS.Timeout | undefined;
    let openedAt = 0;
    ws.on('open', () => {
      openedAt = performance.now();
      handshake = setTimeout(() => {
        stats.errors['no welcome within 30 s'] = (stats.errors['no welcome within 30 s'] ?? 0) + 1;
        ws.terminate();
      }, HANDSHAKE_MS);
    });
    ws.on('message', (data) => {
      let message: { type: string; [k: string]: any };
      try {
        message = JSON.parse(String(data));
      } catch {
        ws.close(4400, 'not JSON');
        return;
      }
      switch (message.type) {
        case 'challenge':
          this.#send({
            type: 'hello',
            version: 1,
            agentId: this.identity.agentId,
            signature: sign(null, Buffer.from(helloSigningText(message.nonce, this.identity.agentId)), this.#key).toString('base64url'),
            agentVersion: '0.0.0-bench',
            hostname: `bench-${this.index}`,
            capabilities: this.options.readings ? ['facts', 'readings'] : ['facts'],
            runs: [],
            lastRunId: null,
          });
          return;
        case 'welcome': {
          clearTimeout(handshake);
          welcomed = true;
          this.#welcomedAt = Date.now();
          stats.connecting--;
          stats.connected++;
          stats.welcomes++;
          stats.lastChangeAt = now();
          if (handshakeMs.length < 100_000) handshakeMs.push(performance.now() - openedAt);
          if (message.features?.facts) this.#send({ type: 'facts', ...factsOf(this.index) });
          this.#heartbeatIn(message.heartbeatSeconds * 1000);
          // The first reading somewhere in the first interval, as agents started at different times send them.
          const every = message.features?.readings?.intervalSeconds;
          if (typeof every === 'number') this.#readingsIn(every, Math.random() * every * 1000);
          return;
        }
        case 'run.offer':
          this.#run(message.run.id);
          return;
        default:
          return; // run.ack, run.cancel: nothing to keep
      }
    });
    ws.on('error', (err: NodeJS.ErrnoException) => {
      // 'close' follows with 1006; the reasons, counted, tell refused from timed out from refused upgrades.
      const why = err.code ?? err.message.replace(/\d{3,}/g, 'N').slice(0, 60);
      stats.errors[why] = (stats.errors[why] ?? 0) + 1;
    });
    ws.on('close', (code) => {
      clearTimeout(handshake);
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
      if (this.#readingsTimer) clearTimeout(this.#readingsTimer);
      this.#readingsTimer = null;
      if (this.#ws === ws) this.#ws = null;
      if (welcomed) {
        stats.connected--;
        stats.lastChangeAt = now();
      } else {
        stats.connecting--;
      }
      stats.closes[code] = (stats.closes[code] ?? 0) + 1;
      if (stopping) return;
      if (FINAL_CLOSE_CODES.includes(code)) {
        stats.gaveUp++;
        return;
      }
      if (welcomed && Date.now() - this.#welcomedAt >= STABLE_CONNECTION_MS) this.#attempt = 0;
      const delay = Math.round(Math.random() * Math.min(this.options.backoffMaxMs, BACKOFF_BASE_MS * 2 ** Math.min(this.#attempt, 30)));
      this.#attempt++;
      this.#timer = setTimeout(() => this.connect(), delay);
    });
  }

  /** Delayed by `ms` for the first connection, so that a whole fleet does not start in one instant. */
  startIn(ms: number): void {
    this.#timer = setTimeout(() => this.connect(), ms);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#readingsTimer) clearTimeout(this.#readingsTimer);
    this.#ws?.close(1000, 'bench over');
  }

  #send(message: Record<string, unknown>): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(message));
  }

  #heartbeatIn(intervalMs: number): void {
    // ±10 % per beat, so beats that started together drift apart.
    this.#timer = setTimeout(() => {
      if (!this.#ws || this.#ws.readyState !== WebSocket.OPEN) return;
      this.#send({ type: 'heartbeat', seq: ++this.#seq, uptimeSeconds: Math.round(process.uptime()), running: [] });
      this.#ws.ping();
      stats.heartbeats++;
      this.#heartbeatIn(intervalMs);
    }, intervalMs * (0.9 + Math.random() * 0.2));
  }

  /** A reading like the real agent's on a small VM (two filesystems, one interface), values that move. */
  #readingsIn(intervalSeconds: number, firstMs: number): void {
    this.#readingsTimer = setTimeout(() => {
      if (!this.#ws || this.#ws.readyState !== WebSocket.OPEN) return;
      this.#send(readingsOf(intervalSeconds));
      stats.readings++;
      this.#readingsIn(intervalSeconds, intervalSeconds * 1000);
    }, firstMs);
  }

  #run(runId: string): void {
    stats.offers++;
    const asked = awaited.get(this.identity.nodeId);
    if (asked !== undefined) {
      delivered.push({ runId, nodeId: this.identity.nodeId, sentAt: asked, offeredAt: now() });
      awaited.delete(this.identity.nodeId);
    }
    // A repeated offer (after a reconnect) is answered again: the server stores each answer once.
    this.#send({ type: 'run.accepted', runId });
    this.#send({ type: 'run.log', runId, seq: 1, lines: [{ stream: 'stdout', text: `ran on bench-${this.index}` }] });
    this.#send({ type: 'run.finished', runId, outcome: 'succeeded', exitCode: 0, signal: null, summary: null, error: null, logLines: 1, durationMs: 1 });
    if (!finishedRuns.has(runId)) {
      finishedRuns.add(runId);
      stats.finishedRuns++;
    }
  }
}

let agents: LoadAgent[] = [];

/**
 * Connections open a few dozen per turn of the event loop. Thousands of reconnect timers expire
 * together when this process is busy, and opening them all in one go stalled it for seconds: the
 * agents already connecting could not answer their challenges, which a fleet of separate machines
 * would have done.
 */
const OPENS_PER_TURN = 50;
const toOpen: LoadAgent[] = [];
let opening = false;
function startSoon(agent: LoadAgent): void {
  toOpen.push(agent);
  if (!opening) {
    opening = true;
    setImmediate(openSome);
  }
}
function openSome(): void {
  for (let i = 0; i < OPENS_PER_TURN && toOpen.length > 0; i++) toOpen.shift()!.open();
  if (toOpen.length > 0) setImmediate(openSome);
  else opening = false;
}

async function start(options: LoadOptions): Promise<number> {
  const identities = JSON.parse(await readFile(options.identities, 'utf8')) as AgentIdentity[];
  agents = identities.map((identity, i) => new LoadAgent(i, identity, options));
  for (const agent of agents) agent.startIn(Math.random() * options.rampMs);
  return agents.length;
}

/** Requests runs one node at a time, spread over time, and times each until its offer arrives. */
async function requestRuns(r: RunRequests): Promise<RunLatencies> {
  delivered.length = 0;
  const errors: string[] = [];
  const sent: Promise<void>[] = [];
  for (const nodeId of r.nodeIds) {
    awaited.set(nodeId, now());
    sent.push(
      fetch(r.url, { method: 'POST', headers: { 'content-type': 'application/json', ...r.headers }, body: r.body.replace('__NODE__', nodeId) })
        .then(async (res) => {
          if (!res.ok) {
            awaited.delete(nodeId);
            errors.push(`${res.status} ${(await res.text()).slice(0, 300)}`);
          } else await res.arrayBuffer();
        })
        .catch((err: unknown) => {
          awaited.delete(nodeId);
          errors.push(String(err));
        }),
    );
    await new Promise((res) => setTimeout(res, r.spacingMs * (0.5 + Math.random())));
  }
  await Promise.all(sent);
  const end = Date.now() + r.timeoutMs;
  while (awaited.size > 0 && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
  const missing = awaited.size;
  awaited.clear();
  return { latencies: delivered.map((d) => d.offeredAt - d.sentAt), runs: [...delivered], missing, errors };
}

async function handle(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case 'start':
      return start(command.options);
    case 'stats': {
      const sorted = [...handshakeMs].sort((a, b) => a - b);
      const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0);
      const out = {
        ...stats,
        closes: { ...stats.closes },
        errors: { ...stats.errors },
        loopDelayMaxMs: loopDelay.max / 1e6,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        handshakes: { count: sorted.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: sorted.at(-1) ?? 0 },
      };
      if (command.resetLoopDelay) {
        loopDelay.reset();
        handshakeMs = [];
      }
      return out;
    }
    case 'runs':
      return requestRuns(command.requests);
    case 'stop':
      stopping = true;
      for (const agent of agents) agent.stop();
      setTimeout(() => process.exit(0), 2000).unref();
      // Final: nothing is sent after this (what the ingest benchmark counts against what was stored).
      return { ...stats, closes: { ...stats.closes }, errors: { ...stats.errors } };
  }
}

process.on('message', (command: Command) => {
  handle(command).then(
    (value) => process.send!({ id: command.id, ok: true, value } satisfies Reply),
    (err: unknown) => process.send!({ id: command.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies Reply),
  );
});
// Never outlive the benchmark.
process.on('disconnect', () => process.exit(0));
