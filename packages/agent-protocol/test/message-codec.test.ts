import { describe, expect, it } from 'vitest';
import {
  CloseCode,
  decodeAgentMessage,
  decodeServerMessage,
  encodeMessage,
  MAX_MESSAGE_BYTES,
  MAX_READING_FILESYSTEMS,
  parseReadingsFeature,
  type AgentMessage,
  type ReadingsMessage,
  type ServerMessage,
} from '../src/index.js';

const hello: AgentMessage = {
  type: 'hello',
  version: 1,
  agentId: 'a1',
  signature: 'x'.repeat(86),
  agentVersion: '0.1.0',
  hostname: 'web-1',
  capabilities: ['facts'],
  runs: [{ id: 'r1', state: 'running' }],
  lastRunId: 'r1',
};

const fs = { mount: '/', device: '/dev/vda1', fstype: 'ext4', size: 100e9, used: 40e9, avail: 55e9, usedPct: 42.1, inodes: 6e6, inodesUsed: 3e5 };
const readings: ReadingsMessage = {
  type: 'readings',
  at: new Date().toISOString(),
  intervalSeconds: 15,
  cpu: { count: 2, total: 12.5, user: 8, nice: 0, system: 3, idle: 87, iowait: 0.5, irq: 0, softirq: 1, steal: 0.5 },
  load: [0.5, 0.25, 0.1],
  memory: { total: 8e9, used: 3e9, available: 5e9, free: 1e9, buffers: 1e8, cached: 3e9, usedPct: 37.5 },
  swap: { total: 0, used: 0 },
  filesystems: [fs],
  network: [{ iface: 'eth0', rxBytes: 1e6, txBytes: 2e6, rxBps: 100, txBps: null }],
  uptimeSeconds: 3600.5,
};

describe('agent protocol codec', () => {
  it('round-trips every agent message type', () => {
    const messages: AgentMessage[] = [
      hello,
      { type: 'heartbeat', seq: 3, uptimeSeconds: 12.5, running: [] },
      { type: 'run.accepted', runId: 'r1' },
      { type: 'run.rejected', runId: 'r1', reason: 'unknown kind' },
      { type: 'run.log', runId: 'r1', seq: 1, lines: [{ stream: 'stdout', text: 'hi' }] },
      { type: 'run.finished', runId: 'r1', outcome: 'succeeded', exitCode: 0, signal: null, summary: null, error: null, logLines: 1, durationMs: 5 },
      { type: 'facts', hash: 'a'.repeat(64), facts: { os: 'debian' } },
      readings,
    ];
    for (const m of messages) expect(decodeAgentMessage(encodeMessage(m))).toEqual({ ok: true, message: m });
  });

  it('round-trips every server message type, runs of both kinds included', () => {
    const deadline = new Date().toISOString();
    const messages: ServerMessage[] = [
      { type: 'challenge', nonce: 'n'.repeat(43), versions: [1], serverTime: deadline },
      { type: 'welcome', version: 1, agentId: 'a1', nodeId: null, heartbeatSeconds: 15, serverTime: deadline, features: { facts: true } },
      { type: 'run.offer', run: { id: 'r1', kind: 'command', deadline, spec: { command: 'uname -a', timeoutSeconds: 60, env: { TOKEN: 's' } } } },
      {
        type: 'run.offer',
        run: {
          id: 'r2',
          kind: 'converge',
          deadline,
          spec: { nodeName: 'web-1', runList: ['role[web]'], attributes: {}, secretAttributes: {}, environment: null, kitchen: { sha256: 'f'.repeat(64), bytes: 10 }, settings: {}, timeoutSeconds: 600 },
        },
      },
      { type: 'run.cancel', runId: 'r1', reason: 'cancelled by alice' },
      { type: 'run.ack', runId: 'r1', logSeq: 10, finished: true },
    ];
    for (const m of messages) expect(decodeServerMessage(encodeMessage(m))).toEqual({ ok: true, message: m });
  });

  it('ignores fields it does not know (a newer peer may add optional ones)', () => {
    const decoded = decodeAgentMessage(JSON.stringify({ ...hello, later: { anything: 1 } }));
    expect(decoded.ok).toBe(true);
  });

  it('refuses what is not JSON, not an object, of an unknown type, or off its schema, naming the field', () => {
    expect(decodeAgentMessage('{nope')).toEqual({ ok: false, code: CloseCode.malformed, reason: 'message is not JSON' });
    expect(decodeAgentMessage('[1,2]')).toMatchObject({ ok: false, code: CloseCode.malformed, reason: 'message is not a JSON object' });
    expect(decodeAgentMessage('{"type":"shell"}')).toMatchObject({ ok: false, code: CloseCode.malformed, reason: 'unknown message type "shell"' });
    // A server message is not an agent message.
    expect(decodeAgentMessage(JSON.stringify({ type: 'run.cancel', runId: 'r', reason: 'x' }))).toMatchObject({ ok: false, code: CloseCode.malformed });
    const bad = decodeAgentMessage(JSON.stringify({ type: 'run.log', runId: 'r1', seq: 0, lines: [{ stream: 'stdout', text: 'x' }] }));
    expect(bad).toMatchObject({ ok: false, code: CloseCode.malformed });
    expect((bad as { reason: string }).reason).toMatch(/^run\.log: \/seq /);
    const noLines = decodeAgentMessage(JSON.stringify({ type: 'run.log', runId: 'r1', seq: 1, lines: [] }));
    expect((noLines as { reason: string }).reason).toMatch(/\/lines/);
    const badTime = decodeServerMessage(JSON.stringify({ type: 'challenge', nonce: 'n'.repeat(43), versions: [1], serverTime: 'yesterday' }));
    expect(badTime).toMatchObject({ ok: false, code: CloseCode.malformed });
  });

  it('refuses an oversized message before parsing it', () => {
    const huge = JSON.stringify({ type: 'facts', hash: 'a'.repeat(64), facts: { blob: 'x'.repeat(MAX_MESSAGE_BYTES) } });
    expect(decodeAgentMessage(huge)).toMatchObject({ ok: false, code: CloseCode.tooLarge });
  });

  it('keeps a close reason within 123 bytes', () => {
    const decoded = decodeAgentMessage(JSON.stringify({ type: 'é'.repeat(200) }));
    expect(decoded.ok).toBe(false);
    expect(Buffer.byteLength((decoded as { reason: string }).reason)).toBeLessThanOrEqual(123);
  });
});

describe('readings', () => {
  it('takes a first sample with no CPU figures yet', () => {
    expect(decodeAgentMessage(encodeMessage({ ...readings, cpu: null }))).toMatchObject({ ok: true });
  });

  it('refuses out-of-range figures and unbounded lists, naming the field', () => {
    const over = decodeAgentMessage(JSON.stringify({ ...readings, cpu: { ...readings.cpu, total: 101 } }));
    expect(over).toMatchObject({ ok: false, code: CloseCode.malformed });
    expect((over as { reason: string }).reason).toMatch(/^readings: \/cpu\/total /);
    const negative = decodeAgentMessage(JSON.stringify({ ...readings, memory: { ...readings.memory, used: -1 } }));
    expect((negative as { reason: string }).reason).toMatch(/\/memory\/used/);
    const tooMany = decodeAgentMessage(JSON.stringify({ ...readings, filesystems: Array.from({ length: MAX_READING_FILESYSTEMS + 1 }, () => fs) }));
    expect((tooMany as { reason: string }).reason).toMatch(/\/filesystems/);
    const shortLoad = decodeAgentMessage(JSON.stringify({ ...readings, load: [1, 2] }));
    expect((shortLoad as { reason: string }).reason).toMatch(/\/load/);
    const longMount = decodeAgentMessage(JSON.stringify({ ...readings, filesystems: [{ ...fs, mount: `/${'m'.repeat(600)}` }] }));
    expect((longMount as { reason: string }).reason).toMatch(/\/filesystems\/0\/mount/);
  });

  it('reads the feature only when the server asked for it in a form this side understands', () => {
    expect(parseReadingsFeature({ readings: { intervalSeconds: 15 } })).toEqual({ intervalSeconds: 15 });
    expect(parseReadingsFeature({ readings: { intervalSeconds: 15, later: true } })).toEqual({ intervalSeconds: 15 });
    expect(parseReadingsFeature({ facts: true })).toBeNull();
    expect(parseReadingsFeature({ readings: true })).toBeNull();
    expect(parseReadingsFeature({ readings: { intervalSeconds: 0 } })).toBeNull();
  });
});
