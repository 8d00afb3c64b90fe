import { PassThrough, Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  SshCommandAbortedError,
  SshCommandFailedError,
  SshCommandTimeoutError,
  SshConnectionLostError,
  SshSession,
} from '../src/index.js';
import { processesMatching } from '../test-support/processes.js';
import { startSshd, type SshdFixture } from '../test-support/sshd-fixture.js';

let sshd: SshdFixture;
let session: SshSession;

beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
});
beforeEach(async () => {
  session = new SshSession(sshd.target());
  await session.connect();
});
afterEach(async () => {
  await session.close();
});

describe('exec', () => {
  it('streams lines as they arrive, before the command ends, joining partial lines', async () => {
    // The command waits for a reply to each line it sent, so it can only finish if each line arrived
    // while it was still running: no timing involved.
    const replies = new PassThrough();
    const seen: string[] = [];
    const result = await session.exec("echo one; read a; printf 'par'; sleep 0.2; printf 'tial\\n'; read b; printf 'last'", {
      stdin: replies,
      timeoutMs: 30_000,
      onStdout: (line) => {
        seen.push(line);
        replies.write('next\n');
      },
    });
    expect(seen).toEqual(['one', 'partial', 'last']);
    expect(result).toMatchObject({ exitCode: 0, signal: null, stdout: 'one\npartial\nlast' });
  });

  it('keeps stdout and stderr apart', async () => {
    const errLines: string[] = [];
    const result = await session.exec('echo out; echo err >&2; echo err2 >&2', { onStderr: (l) => errLines.push(l) });
    expect(result.stdout).toBe('out\n');
    expect(result.stderr).toBe('err\nerr2\n');
    expect(errLines).toEqual(['err', 'err2']);
  });

  it('returns exit codes and the signal that killed a command', async () => {
    expect((await session.exec('exit 3')).exitCode).toBe(3);
    expect((await session.exec('true')).exitCode).toBe(0);
    const killed = await session.exec('kill -KILL $$');
    expect(killed).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
  });

  it('run() throws SshCommandFailedError with the exit code and stderr', async () => {
    const err = await session.run('echo nope >&2; exit 4').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshCommandFailedError);
    expect(err).toMatchObject({ exitCode: 4, stderr: 'nope\n' });
    expect((err as Error).message).toMatch(/exited with code 4.*nope/);
  });

  it('feeds stdin from a string and from a stream, and closes stdin otherwise', async () => {
    expect((await session.exec('cat', { stdin: 'hello\nworld' })).stdout).toBe('hello\nworld');
    const stream = Readable.from([Buffer.from('a'), Buffer.from('b\n')]);
    expect((await session.exec('wc -c', { stdin: stream })).stdout.trim()).toBe('3');
    // Without stdin the command sees EOF at once instead of hanging.
    expect((await session.exec('cat', { timeoutMs: 5000 })).stdout).toBe('');
  });

  it('exports env variables, quoting values', async () => {
    const result = await session.exec('printf "%s|%s" "$GREETING" "$OTHER"', { env: { GREETING: "it's $HOME", OTHER: 'x y' } });
    expect(result.stdout).toBe("it's $HOME|x y");
    await expect(session.exec('true', { env: { 'BAD NAME': 'x' } })).rejects.toThrow(/Invalid environment variable name/);
  });

  it('passes secretEnv to the command without putting a value on any command line', async () => {
    const secret = `s3cret-${Date.now()}`;
    const tricky = "it's \"$HOME\" `id`\n\\second line\n";
    // Each value arrives exactly; the command's own stdin is at EOF after the variables were read.
    const running = session.exec('printf "%s|%s|" "$TOKEN" "$TRICKY"; cat; sleep 2.75; echo done', {
      secretEnv: { TOKEN: secret, TRICKY: tricky },
      timeoutMs: 60_000,
    });
    await vi.waitFor(async () => expect(await processesMatching('sleep 2.75')).not.toEqual([]), { timeout: 60_000, interval: 50 });
    // While the command runs, no process on the host (sshd, the login shell, sleep) shows the values.
    expect(await processesMatching(secret)).toEqual([]);
    expect(await processesMatching('second line')).toEqual([]);
    expect(await running).toMatchObject({ exitCode: 0, stdout: `${secret}|${tricky}|done\n`, stderr: '' });
    // Both option kinds together; a secretEnv cannot share stdin with the caller's input.
    expect((await session.exec('printf "%s %s" "$A" "$B"', { env: { A: 'plain' }, secretEnv: { B: 'hidden' } })).stdout).toBe('plain hidden');
    await expect(session.exec('cat', { secretEnv: { B: 'x' }, stdin: 'y' })).rejects.toThrow(/cannot be combined/);
    await expect(session.exec('true', { secretEnv: { 'BAD NAME': 'x' } })).rejects.toThrow(/Invalid environment variable name/);
  }, 90_000);

  it('bounds the captured output to its tail but still streams every line', async () => {
    let lines = 0;
    const result = await session.exec('seq 1 20000', { maxOutputBytes: 100, onStdout: () => lines++ });
    expect(lines).toBe(20000);
    expect(result.stdout.length).toBe(100);
    expect(result.stdout.endsWith('19999\n20000\n')).toBe(true);
    expect(result.stdoutTruncated).toBe(true);
  });

  it('kills the remote command on timeout and throws SshCommandTimeoutError', async () => {
    const started = Date.now();
    const err = await session.exec('echo begin; sleep 31.25; echo never', { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshCommandTimeoutError);
    expect(err).toMatchObject({ timeoutMs: 300 });
    // Far less than the 31 s sleep, with room for a busy machine.
    expect(Date.now() - started).toBeLessThan(15_000);
    await vi.waitFor(async () => expect(await processesMatching('sleep 31.25')).toEqual([]), { timeout: 15_000 });
    // The connection stays usable for the next step.
    expect((await session.exec('echo still here')).stdout).toBe('still here\n');
  });

  it('aborts through an AbortSignal', async () => {
    const controller = new AbortController();
    const err = await session
      .exec('echo ready; sleep 32.5', { signal: controller.signal, onStdout: () => controller.abort() })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshCommandAbortedError);
    await vi.waitFor(async () => expect(await processesMatching('sleep 32.5')).toEqual([]), { timeout: 15_000 });
    await expect(session.exec('true', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(SshCommandAbortedError);
  });

  it('surfaces a throwing line callback and stops the command', async () => {
    const err = await session
      .exec('echo boom; sleep 33.5', { onStdout: () => { throw new Error('callback bug'); } })
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe('callback bug');
  });

  it('reports a connection dropped mid-command as SshConnectionLostError', async () => {
    const lines: string[] = [];
    const running = session.exec('echo ready; sleep 34.5', {
      onStdout: (line) => {
        lines.push(line);
        void sshd.killConnections();
      },
    });
    await expect(running).rejects.toBeInstanceOf(SshConnectionLostError);
    expect(lines).toEqual(['ready']);
    expect(session.isConnected).toBe(false);
    await expect(session.exec('true')).rejects.toBeInstanceOf(SshConnectionLostError);
  });
});
