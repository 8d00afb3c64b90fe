import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshSession, SshSftpError } from '../src/index.js';
import { startSshd, type SshdFixture } from '../test-support/sshd-fixture.js';

let sshd: SshdFixture;
let session: SshSession;
let remote: string;

// The "remote" host is this machine, so files written over SFTP are checked directly on disk.
beforeAll(async () => {
  sshd = await startSshd();
  session = new SshSession(sshd.target());
  await session.connect();
  remote = await mkdtemp(join(tmpdir(), 'overmind-sftp-'));
  await chown(remote, sshd.login.uid, sshd.login.gid);
});
afterAll(async () => {
  await session?.close();
  await sshd?.stop();
  if (remote) await rm(remote, { recursive: true, force: true });
});

const mode = async (path: string) => (await stat(path)).mode & 0o7777;

describe('SFTP', () => {
  it('writes a file with mode 0600 whatever the umask, replacing an older one', async () => {
    const path = join(remote, 'secret.json');
    await writeFile(path, 'old contents that are longer', { mode: 0o644 });
    await session.writeFile(path, '{"token":"x"}', { mode: 0o600 });
    expect(await readFile(path, 'utf8')).toBe('{"token":"x"}');
    expect(await mode(path)).toBe(0o600);
    await session.writeFile(path, 'public', { mode: 0o644 });
    expect(await mode(path)).toBe(0o644);
  });

  it('uploads a Buffer, a local file and a stream, and reads them back', async () => {
    const big = randomBytes(300 * 1024);
    await session.upload(big, join(remote, 'big.bin'), { mode: 0o640 });
    expect((await session.readFile(join(remote, 'big.bin'))).equals(big)).toBe(true);
    expect(await mode(join(remote, 'big.bin'))).toBe(0o640);

    const local = join(remote, 'local-source.txt');
    await writeFile(local, 'from disk\n');
    await session.upload(local, join(remote, 'copied.txt'));
    expect((await session.readFile(join(remote, 'copied.txt'))).toString()).toBe('from disk\n');

    await session.upload(Readable.from(['line 1\n', 'line 2\n']), join(remote, 'streamed.txt'), { mode: 0o600 });
    expect(await readFile(join(remote, 'streamed.txt'), 'utf8')).toBe('line 1\nline 2\n');
  });

  it('leaves no temp file behind when an upload fails', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('source broke'));
      },
    });
    await expect(session.upload(failing, join(remote, 'never.txt'))).rejects.toThrow('source broke');
    expect((await session.stat(join(remote, 'never.txt')))).toBeNull();
    const leftovers = (await session.exec(`ls -a ${remote}`)).stdout;
    expect(leftovers).not.toMatch(/overmind-.*\.tmp/);
  });

  it('creates nested directories and removes whole trees', async () => {
    const tree = join(remote, 'a/b/c');
    await session.mkdirp(tree, { mode: 0o700 });
    await session.mkdirp(tree); // already there: no error
    expect((await stat(tree)).isDirectory()).toBe(true);
    expect(await mode(tree)).toBe(0o700);
    await session.writeFile(join(tree, 'f.txt'), 'x');
    await session.writeFile(join(remote, 'a/top.txt'), 'y');
    expect(await session.remove(join(remote, 'a'))).toBe(true);
    expect(await session.stat(join(remote, 'a'))).toBeNull();
    expect(await session.remove(join(remote, 'a'))).toBe(false);
  });

  it('reports SFTP failures as SshSftpError', async () => {
    const missing = join(remote, 'no/such/dir/file.txt');
    const err = await session.readFile(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshSftpError);
    expect((err as Error).message).toContain(missing);
    await session.writeFile(join(remote, 'plain'), 'x');
    await expect(session.mkdirp(join(remote, 'plain/sub'))).rejects.toThrow(/not a directory/);
    await expect(session.writeFile(join(remote, 'no/dir/x'), 'x')).rejects.toBeInstanceOf(SshSftpError);
    await expect(session.remove('/')).rejects.toThrow(/root directory/);
  });

  it('refuses to read files larger than the limit', async () => {
    await session.writeFile(join(remote, 'large'), Buffer.alloc(2048));
    await expect(session.readFile(join(remote, 'large'), { maxBytes: 1024 })).rejects.toThrow(/larger than 1024/);
  });
});
