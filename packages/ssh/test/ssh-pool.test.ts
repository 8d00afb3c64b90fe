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

/**
 * Resolves once `size` callers are inside at the same time, or after `patienceMs` (so a limit below
 * `size` fails the assertion instead of hanging): concurrency is proven by who met, not by timing.
 */
function meeting(size: number, patienceMs = 30_000) {
  let active = 0;
  let maxActive = 0;
  let open!: () => void;
  const full = new Promise<void>((resolve) => (open = resolve));
  return {
    get maxActive() {
      return maxActive;
    },
    async attend<T>(fn: () => Promise<T>): Promise<T> {
      active += 1;
      maxActive = Math.max(maxActive, active);
      if (active >= size) open();
      try {
        await Promise.race([full, new Promise((r) => setTimeout(r, patienceMs).unref())]);
        return await fn();
      } finally {
        active -= 1;
      }
    },
  };
}

describe('runOnMany', () => {
  it('reaches 30 targets at most 5 at a time and reports each one, the failing one included', async () => {
    const closedPort = await freePort();
    const targets: Named[] = Array.from({ length: 30 }, (_, i) => ({
      ...sshd.target(i === 17 ? { port: closedPort } : {}),
      name: `server-${i}`,
    }));
    const room = meeting(5);
    let maxSockets = 0;
    const results = await runOnMany(
      targets,
      (session, target) =>
        room.attend(async () => {
          maxSockets = Math.max(maxSockets, tcpSockets());
          return (await session.exec('echo "$NAME"', { env: { NAME: target.name } })).stdout.trim();
        }),
      { concurrency: 5 },
    );

    expect(results).toHaveLength(30);
    expect(room.maxActive).toBe(5);
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
    const room = meeting(2);
    const job = () =>
      pool.run(sshd.target(), (session) =>
        room.attend(async () => {
          await session.exec('true');
          return session.hostKey?.hostKeyFingerprint;
        }),
      );
    const fingerprints = await Promise.all([job(), job(), job(), job(), job()]);
    expect(room.maxActive).toBe(2);
    expect(fingerprints).toEqual(Array(5).fill(sshd.hostKeyFingerprint));
    expect(pool.activeCount + pool.pendingCount).toBe(0);
  });
});
