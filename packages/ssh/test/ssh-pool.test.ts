import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConnectError, SshPool, runOnMany, type SshTarget } from '@overmind/ssh';
import { startSshd, type SshdFixture } from '@overmind/ssh/testing';
import { freePort } from './free-port.js';

let sshd: SshdFixture;

beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
});

type Named = SshTarget & { name: string };
const tcpSockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

describe('runOnMany', () => {
  it('reaches 30 targets at most 5 at a time and reports each one, the failing one included', async () => {
    const closedPort = await freePort();
    const targets: Named[] = Array.from({ length: 30 }, (_, i) => ({
      ...sshd.target(i === 17 ? { port: closedPort } : {}),
      name: `server-${i}`,
    }));
    let active = 0;
    let maxActive = 0;
    let maxSockets = 0;
    const results = await runOnMany(
      targets,
      async (session, target) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        maxSockets = Math.max(maxSockets, tcpSockets());
        try {
          return (await session.exec('sleep 0.1; echo "$NAME"', { env: { NAME: target.name } })).stdout.trim();
        } finally {
          active -= 1;
        }
      },
      { concurrency: 5 },
    );

    expect(results).toHaveLength(30);
    expect(maxActive).toBe(5);
    expect(maxSockets).toBeLessThanOrEqual(5);
    results.forEach((result, i) => {
      expect(result.target.name).toBe(`server-${i}`);
      if (i === 17) {
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error).toBeInstanceOf(SshConnectError);
      } else {
        expect(result).toMatchObject({ ok: true, value: `server-${i}` });
      }
    });
  });

  it('captures thrown non-errors and stops starting targets once aborted', async () => {
    const controller = new AbortController();
    const targets = Array.from({ length: 6 }, () => sshd.target());
    const results = await runOnMany(
      targets,
      async () => {
        controller.abort();
        throw 'plain string';
      },
      { concurrency: 1, signal: controller.signal },
    );
    expect(results[0]).toMatchObject({ ok: false, error: new Error('plain string') });
    for (const later of results.slice(1)) {
      expect(later.ok).toBe(false);
      if (!later.ok) expect(later.error.name).toBe('AbortError');
    }
  });
});

describe('SshPool', () => {
  it('bounds connections across separate calls sharing the pool', async () => {
    const pool = new SshPool({ concurrency: 2 });
    let active = 0;
    let maxActive = 0;
    const job = () =>
      pool.run(sshd.target(), async (session) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await session.exec('sleep 0.1');
        active -= 1;
        return session.hostKey?.hostKeyFingerprint;
      });
    const fingerprints = await Promise.all([job(), job(), job(), job(), job()]);
    expect(maxActive).toBe(2);
    expect(fingerprints).toEqual(Array(5).fill(sshd.hostKeyFingerprint));
    expect(pool.activeCount + pool.pendingCount).toBe(0);
  });
});
