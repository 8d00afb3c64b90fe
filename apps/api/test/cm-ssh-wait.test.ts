import { createServer, connect, type Server } from 'node:net';
import { startSshd, type SshdFixture } from '@overmind/ssh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForSsh } from '../src/modules/cm/ssh-wait.js';
import { freePort } from './support/free-port.js';

let sshd: SshdFixture;
const servers: Server[] = [];

beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  servers.forEach((s) => s.close());
  await sshd?.stop();
});


/** A port that refuses connections until open() is called, then forwards to the real sshd: a node booting. */
async function bootingPort(): Promise<{ port: number; open(): void }> {
  const port = await freePort();
  const open = () => {
    const proxy = createServer((client) => {
      const upstream = connect(sshd.port, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    proxy.listen(port, '127.0.0.1');
    servers.push(proxy);
  };
  return { port, open };
}

describe('waiting for SSH on a new node', () => {
  it('retries refused connections with backoff until the node answers', async () => {
    // The node "boots" once it has refused two attempts, however long they took.
    const booting = await bootingPort();
    const lines: string[] = [];
    const { session, hostKey } = await waitForSsh(
      { ...sshd.target(), port: booting.port },
      { timeoutMs: 60_000, firstDelayMs: 200, maxDelayMs: 400 },
      {
        signal: new AbortController().signal,
        log: (l) => {
          lines.push(l);
          if (lines.length === 2) booting.open();
        },
      },
    );
    try {
      expect(hostKey.hostKeyFingerprint).toBe(sshd.hostKeyFingerprint);
      expect((await session.exec('echo ready')).stdout.trim()).toBe('ready');
    } finally {
      await session.close();
    }
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^SSH not ready \(attempt 1\): .*; retrying in 1 s$/);
    expect(lines[1]).toMatch(/^SSH not ready \(attempt 2\): .*connection refused.*; retrying in 1 s$/);
  });

  it('gives up after its timeout with the last reason', async () => {
    const port = await freePort();
    await expect(
      waitForSsh({ ...sshd.target(), port }, { timeoutMs: 700, firstDelayMs: 200, maxDelayMs: 200 }, { signal: new AbortController().signal, log: () => {} }),
    ).rejects.toThrow(new RegExp(`SSH on .*:${port} did not answer within 1 s`));
  });

  it('fails at once on a host key that does not match the pin', async () => {
    const started = Date.now();
    await expect(
      waitForSsh(
        { ...sshd.target(), hostKeyFingerprint: `SHA256:${'A'.repeat(43)}` },
        { timeoutMs: 60_000, firstDelayMs: 20_000, maxDelayMs: 20_000 },
        { signal: new AbortController().signal, log: () => {} },
      ),
    ).rejects.toThrow(/host key/i);
    // A retry would have waited 20 s first.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
