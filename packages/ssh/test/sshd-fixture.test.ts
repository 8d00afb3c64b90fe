/** The sshd fixture logs in as a throwaway user, so no test pays for (or depends on) root's dotfiles. */
import { execFile, spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshAuthError, SshSession, withSession } from '../src/index.js';
import { reapStaleUsers } from '../test-support/local-user.js';
import { startSshd, type SshdFixture } from '../test-support/sshd-fixture.js';

const run = promisify(execFile);
const accountExists = (name: string) => run('getent', ['passwd', name]).then(() => true, () => false);
const exists = (path: string) => access(path).then(() => true, () => false);

let sshd: SshdFixture;
beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
});

describe('sshd fixture', () => {
  it('logs in as a throwaway user with /bin/sh, an empty home and passwordless sudo', async () => {
    expect(sshd.username).toMatch(/^om-t-[0-9a-f]{10}$/);
    const result = await withSession(sshd.target(), (s) => s.exec('id -un; echo "$SHELL"; echo "$HOME"; ls -A "$HOME" | wc -l'));
    expect(result.stdout).toBe(`${sshd.username}\n/bin/sh\n${sshd.login.home}\n0\n`);
    expect(sshd.login.uid).not.toBe(0);
    expect((await withSession(sshd.target(), (s) => s.sudo('id -u'))).stdout).toBe('0\n');
  });

  it('refuses root, whose dotfiles belong to the machine', async () => {
    const err = await new SshSession(sshd.target({ username: 'root' })).connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshAuthError);
  });

  it('offers a root alias: uid 0 under its own name, shell and home', async () => {
    const alias = await startSshd({ login: 'root-alias' });
    try {
      expect(alias.login.uid).toBe(0);
      const result = await withSession(alias.target(), (s) => s.exec('id -u; echo "$SHELL"; echo "$HOME"'));
      expect(result.stdout).toBe(`0\n/bin/sh\n${alias.login.home}\n`);
    } finally {
      await alias.stop();
    }
    expect(await accountExists(alias.username)).toBe(false);
  });

  it('removes its users and their sudoers drop-ins on stop', async () => {
    const other = await startSshd({ users: [{ sudo: 'password' }] });
    const names = [other.username, other.users[0]!.username];
    for (const name of names) expect(await accountExists(name)).toBe(true);
    expect(await exists(`/etc/sudoers.d/${other.username}`)).toBe(true);
    await other.stop();
    for (const name of names) {
      expect(await accountExists(name)).toBe(false);
      expect(await exists(`/etc/sudoers.d/${name}`)).toBe(false);
    }
  });

  it('reaps users left by a killed run, and only those', async () => {
    // A run that was killed: its process is gone, its user is still there.
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    const stale = `om-t-stale${gone.pid}`.slice(0, 32);
    await run('/usr/sbin/useradd', ['-M', '-d', '/nonexistent', '-s', '/bin/sh', '-c', `overmind test user, pid ${gone.pid}`, stale]);
    try {
      expect(await reapStaleUsers()).toContain(stale);
      expect(await accountExists(stale)).toBe(false);
      // This process is alive: its fixture's user stays.
      expect(await accountExists(sshd.username)).toBe(true);
    } finally {
      await run('/usr/sbin/userdel', ['-f', stale]).catch(() => undefined);
    }
  });
});
