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


/** A port that refuses connections until `afterMs`, then forwards to the real sshd: a node booting. */
async function bootingPort(afterMs: number): Promise<number> {
  const port = await freePort();
  setTimeout(() => {
    const proxy = createServer((client) => {
      const upstream = connect(sshd.port, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    proxy.listen(port, '127.0.0.1');
    servers.push(proxy);
  }, afterMs);
  return port;
}

describe('waiting for SSH on a new node', () => {
  it('retries refused connections with backoff until the node answers', async () => {
    const port = await bootingPort(900);
    const lines: string[] = [];
    const started = Date.now();
    const { session, hostKey } = await waitForSsh(
      { ...sshd.target(), port },
      { timeoutMs: 10_000, firstDelayMs: 200, maxDelayMs: 400 },
      { signal: new AbortController().signal, log: (l) => lines.push(l) },
    );
    try {
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(hostKey.hostKeyFingerprint).toBe(sshd.hostKeyFingerprint);
      expect((await session.exec('echo ready')).stdout.trim()).toBe('ready');
    } finally {
      await session.close();
    }
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^SSH not ready \(attempt 1\): .*; retrying in 1 s$/);
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
        { timeoutMs: 10_000, firstDelayMs: 1000, maxDelayMs: 1000 },
        { signal: new AbortController().signal, log: () => {} },
      ),
    ).rejects.toThrow(/host key/i);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
