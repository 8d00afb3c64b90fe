import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SshAuthError, SshSudoError, withSession } from '../src/index.js';
import { processesMatching } from '../test-support/processes.js';
import { startSshd, type SshdFixture } from '../test-support/sshd-fixture.js';

let sshd: SshdFixture;

beforeAll(async () => {
  sshd = await startSshd({ users: [{ sudo: 'password' }, { sudo: 'nopasswd' }, { sudo: 'none' }] });
});
afterAll(async () => {
  await sshd?.stop();
});

const fixtureUser = (i: number) => () => sshd.users[i]!;
const withPassword = fixtureUser(0);
const noPassword = fixtureUser(1);
const noSudo = fixtureUser(2);

describe('password login', () => {
  it('logs in with a password as a non-root user', async () => {
    const user = withPassword();
    const result = await withSession(user.target(), (s) => s.exec('id -un; pwd'));
    expect(result.stdout).toBe(`${user.username}\n${user.home}\n`);
  });

  it('refuses a wrong password with SshAuthError that does not quote it', async () => {
    const wrong = 'not-the-password-123';
    const err = await withSession(withPassword().target({ auth: { type: 'password', password: wrong } }), async () => 1).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SshAuthError);
    expect((err as Error).message).not.toContain(wrong);
    expect((err as Error).message).not.toContain(withPassword().password);
  });
});

describe('sudo', () => {
  it('runs as root, feeding the password on stdin and never on a command line', async () => {
    const user = withPassword();
    await withSession(user.target(), async (session) => {
      // The process list is read while sudo and the command run: the command waits for our reply.
      const replies = new PassThrough();
      let listed: Promise<unknown[]> | undefined;
      const result = await session.sudo('id -u; read reply; echo "$reply"', {
        stdin: replies,
        onStdout: (line) => {
          if (line !== '0') return;
          listed = processesMatching(user.password);
          void listed.finally(() => replies.end('caller input\n'));
        },
      });
      expect(await listed).toEqual([]);
      // The command's stdin holds only the caller's input: the password went to sudo alone.
      expect(result).toMatchObject({ exitCode: 0, stdout: '0\ncaller input\n', stderr: '' });
    });
  });

  it('passes secretEnv through sudo, after the password, to the root command only', async () => {
    const user = withPassword();
    const result = await withSession(user.target(), (s) => s.sudo('id -u; printf "%s" "$TOKEN"; cat', { secretEnv: { TOKEN: 'tok-under-sudo' } }));
    expect(result).toMatchObject({ exitCode: 0, stdout: '0\ntok-under-sudo', stderr: '' });
  });

  it('does not leak the password into stdin when sudo needs none', async () => {
    const user = noPassword();
    const result = await withSession(user.target(), (s) => s.sudo('id -u; cat', { stdin: 'only this' }));
    expect(result).toMatchObject({ exitCode: 0, stdout: '0\nonly this', stderr: '' });
  });

  it('keeps the command exit code and stderr through sudo', async () => {
    const result = await withSession(withPassword().target(), (s) => s.sudo('echo warn >&2; exit 5'));
    expect(result).toMatchObject({ exitCode: 5, stderr: 'warn\n' });
  });

  it('throws SshSudoError on a wrong sudo password, without quoting it', async () => {
    const target = withPassword().target({ sudoPassword: 'wrong-sudo-secret' });
    const err = await withSession(target, (s) => s.sudo('id -u')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshSudoError);
    expect((err as Error).message).toMatch(/refused/);
    expect((err as Error).message).not.toContain('wrong-sudo-secret');
  });

  it('throws SshSudoError when the user may not use sudo', async () => {
    const err = await withSession(noSudo().target(), (s) => s.sudo('id -u')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshSudoError);
    expect((err as Error).message).toMatch(/not in the sudoers file|not allowed/);
  });

  it('kills a timed-out sudo command running as root', async () => {
    const err = await withSession(withPassword().target(), (s) => s.sudo('sleep 35.5', { timeoutMs: 400 })).catch(
      (e: unknown) => e,
    );
    expect((err as Error).name).toBe('SshCommandTimeoutError');
    await vi.waitFor(async () => expect(await processesMatching('sleep 35.5')).toEqual([]), { timeout: 15_000 });
  });
});
