import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { utils } from 'ssh2';
import {
  HostKeyMismatchError,
  SshAuthError,
  SshConnectError,
  SshSession,
  withSession,
} from '../src/index.js';
import { startSshd, type SshdFixture } from '../test-support/sshd-fixture.js';
import { freePort } from './free-port.js';

let sshd: SshdFixture;

beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
});

const tcpSockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

describe('connecting', () => {
  it('logs in with a key and reports the pinned host key', async () => {
    const session = new SshSession(sshd.target());
    const info = await session.connect();
    try {
      expect(info).toEqual({ hostKeyFingerprint: sshd.hostKeyFingerprint, hostKeyPinned: true });
      const result = await session.exec('id -un');
      expect(result).toMatchObject({ exitCode: 0, stdout: `${sshd.username}\n` });
    } finally {
      await session.close();
    }
  });

  it('trusts on first use and reports the fingerprint that ssh-keygen -lf shows', async () => {
    const session = new SshSession(sshd.target({ hostKeyFingerprint: null }));
    const info = await session.connect();
    await session.close();
    expect(sshd.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(info).toEqual({ hostKeyFingerprint: sshd.hostKeyFingerprint, hostKeyPinned: false });
    expect(session.hostKey?.hostKeyFingerprint).toBe(sshd.hostKeyFingerprint);
  });

  it('refuses a host key other than the pinned one before authenticating', async () => {
    const pinned = `SHA256:${'A'.repeat(43)}`;
    const logBefore = sshd.logs().length;
    const err = await new SshSession(sshd.target({ hostKeyFingerprint: pinned })).connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyMismatchError);
    const mismatch = err as HostKeyMismatchError;
    expect(mismatch.expectedFingerprint).toBe(pinned);
    expect(mismatch.actualFingerprint).toBe(sshd.hostKeyFingerprint);
    expect(mismatch.message).toContain(`${sshd.username}@127.0.0.1:${sshd.port}`);
    expect(mismatch.message).toContain(pinned);
    await new Promise((r) => setTimeout(r, 200));
    // sshd never saw a login attempt on that connection.
    expect(sshd.logs().slice(logBefore)).not.toMatch(/Accepted|Failed|authenticating user|Postponed/);
  });

  it('refuses a pin in an unsupported format instead of never matching', async () => {
    await expect(new SshSession(sshd.target({ hostKeyFingerprint: 'aa:bb:cc' })).connect()).rejects.toThrow(/SHA256/);
  });

  it('reports a key the server does not accept as SshAuthError, without the key in the message', async () => {
    const other = utils.generateKeyPairSync('ed25519');
    const err = await new SshSession(sshd.target({ auth: { type: 'key', privateKey: other.private } }))
      .connect()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshAuthError);
    expect((err as Error).message).toMatch(/refused the credentials/);
    expect((err as Error).message).not.toContain(other.private.split('\n')[1]!.slice(0, 20));
  });

  it('reports an unreadable private key as SshAuthError', async () => {
    const { privateKey } = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const target = sshd.target({ auth: { type: 'key', privateKey, passphrase: 'wrong-passphrase' } });
    const err = await new SshSession(target).connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshAuthError);
    expect((err as Error).message).not.toContain('wrong-passphrase');
  });

  it('reports a closed port as SshConnectError', async () => {
    const port = await freePort();
    const err = await new SshSession(sshd.target({ port })).connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshConnectError);
    expect((err as SshConnectError).retryable).toBe(true);
    expect((err as Error).message).toMatch(new RegExp(`${sshd.username}@127.0.0.1:${port}.*connection refused`));
  });

  it('times out on a server that never speaks SSH', async () => {
    const { createServer } = await import('node:net');
    const accepted = new Set<import('node:net').Socket>();
    const silent = createServer((socket) => accepted.add(socket.on('error', () => {})));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      const err = await new SshSession(sshd.target({ port, connectTimeoutMs: 300 })).connect().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SshConnectError);
      expect((err as Error).message).toMatch(/timed out/);
      // Its own 300 ms, not the fixture's 20 s (a busy machine may add seconds).
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('leaves no socket open after sessions end, failed or not', async () => {
    // Sockets of earlier tests close asynchronously; nothing else in this worker uses TCP.
    await vi.waitFor(() => expect(tcpSockets()).toBe(0), { timeout: 15_000 });
    await withSession(sshd.target(), (s) => s.exec('true'));
    await new SshSession(sshd.target({ auth: { type: 'key', privateKey: utils.generateKeyPairSync('ed25519').private } }))
      .connect()
      .catch(() => undefined);
    await new SshSession(sshd.target({ hostKeyFingerprint: `SHA256:${'B'.repeat(43)}` })).connect().catch(() => undefined);
    await expect(withSession(sshd.target(), async () => Promise.reject(new Error('step failed')))).rejects.toThrow('step failed');
    await vi.waitFor(() => expect(tcpSockets()).toBe(0), { timeout: 15_000 });
  });
});
