/**
 * A private, real OpenSSH sshd on a free loopback port, for this package's tests and for the drivers
 * and Chef tests that talk SSH (`import { startSshd } from '@overmind/ssh/testing'`).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SshTarget } from '../src/index.js';
import { descendants } from './processes.js';
import { createLocalUser, reapStaleUsers, removeLocalUser, type LocalUser, type SudoRule } from './local-user.js';

export { descendants, processesMatching } from './processes.js';
export type { LocalUser, SudoRule } from './local-user.js';

const run = promisify(execFile);
const SSHD = '/usr/sbin/sshd';
const SSH_KEYGEN = '/usr/bin/ssh-keygen';

export interface StartSshdOptions {
  /**
   * Who `target()` logs in as: a throwaway user with /bin/sh, an empty home and passwordless sudo
   * (`sudoer`, the default), or a throwaway second name for uid 0 (`root-alias`) for peers that want
   * root itself, like libvirtd's system socket. Never root: root's dotfiles are the machine's, not
   * the tests' (a `~/.bashrc` running `pyenv init` cost every command half a second, or a minute
   * when its lock was left stale), so sshd refuses root outright.
   */
  login?: 'sudoer' | 'root-alias';
  /**
   * The login user's sudo PATH instead of the system's secure_path. A test that puts fake commands
   * first on the session's PATH needs them first under sudo too, or sudo runs the real ones.
   */
  sudoPath?: string;
  /** More throwaway local users, logging in with passwords (password auth is enabled when there are any). */
  users?: { sudo?: SudoRule }[];
  /** Extra sshd_config lines. */
  config?: string[];
}

export interface FixtureUser extends LocalUser {
  /** Password login as this user, host key pinned. */
  target(overrides?: Partial<SshTarget>): SshTarget;
}

export interface SshdFixture {
  host: string;
  port: number;
  /** Temp dir holding keys and config; removed by stop(). */
  dir: string;
  /** `ssh-keygen -lf` of the host key, `SHA256:...`. */
  hostKeyFingerprint: string;
  /** OpenSSH private key accepted for every fixture user. */
  privateKey: string;
  /** The user `target()` logs in as (see `StartSshdOptions.login`). */
  login: LocalUser;
  /** `login.username`. */
  username: string;
  /** The login user with the private key, host key pinned. */
  target(overrides?: Partial<SshTarget>): SshTarget;
  users: FixtureUser[];
  /** Kills the sshd processes serving current connections (the listener keeps running). */
  killConnections(): Promise<number>;
  /** sshd's own log (stderr), for assertions and failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

async function requireBinary(path: string, pkg: string): Promise<void> {
  await access(path).catch(() => {
    throw new Error(`sshd fixture: ${path} is missing. Install ${pkg} (scripts/test-prereqs.sh).`);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

function sshdConfig(dir: string, port: number, passwords: boolean, extra: string[]): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PubkeyAuthentication yes',
    `PasswordAuthentication ${passwords ? 'yes' : 'no'}`,
    'KbdInteractiveAuthentication no',
    // By name: a root alias (uid 0 under another name) may log in, root itself may not.
    'PermitRootLogin prohibit-password',
    'DenyUsers root',
    'StrictModes no',
    'UsePAM no',
    'Subsystem sftp internal-sftp',
    'MaxStartups 100',
    'MaxSessions 30',
    'LogLevel VERBOSE',
    ...extra,
    '',
  ].join('\n');
}

/** Starts sshd and resolves once it listens; rejects with its log if it exits first. */
function launch(configPath: string, port: number, log: { text: string }): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(SSHD, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    const timer = setTimeout(() => fail(new Error('sshd did not start listening within 30 s')), 30_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\nsshd log:\n${log.text}`));
    };
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      log.text = (log.text + text).slice(-64 * 1024);
      if (log.text.includes(`Server listening on 127.0.0.1 port ${port}`)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`sshd exited with code ${code}`)));
  });
}

export async function startSshd(options: StartSshdOptions = {}): Promise<SshdFixture> {
  await requireBinary(SSHD, 'openssh-server');
  await requireBinary(SSH_KEYGEN, 'openssh-client');
  await mkdir('/run/sshd', { recursive: true });
  const dir = await mkdtemp(join(tmpdir(), 'overmind-sshd-'));
  const users: LocalUser[] = [];
  let child: ChildProcess | undefined;
  try {
    const keygen = (name: string) => run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', join(dir, name)]);
    await Promise.all([keygen('host_ed25519'), keygen('user_ed25519')]);
    await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'user_ed25519.pub')));
    const { stdout } = await run(SSH_KEYGEN, ['-l', '-E', 'sha256', '-f', join(dir, 'host_ed25519.pub')]);
    const hostKeyFingerprint = stdout.split(' ')[1]!;
    const privateKey = await readFile(join(dir, 'user_ed25519'), 'utf8');
    // Users' homes live here; they may traverse the temp dir but not list it (keys stay 0600).
    await chmod(dir, 0o711);
    await mkdir(join(dir, 'home'), { mode: 0o755 });
    await reapStaleUsers();
    const loginSpec = options.login === 'root-alias' ? { rootAlias: true } : { sudo: 'nopasswd' as const, sudoPath: options.sudoPath };
    const login = await createLocalUser(join(dir, 'home'), loginSpec);
    users.push(login);
    const extra: LocalUser[] = [];
    for (const spec of options.users ?? []) {
      extra.push(await createLocalUser(join(dir, 'home'), { sudo: spec.sudo }));
      users.push(extra.at(-1)!);
    }

    const log = { text: '' };
    let port = 0;
    for (let attempt = 0; !child; attempt++) {
      port = await freePort();
      const configPath = join(dir, 'sshd_config');
      await writeFile(configPath, sshdConfig(dir, port, extra.length > 0, options.config ?? []));
      try {
        child = await launch(configPath, port, log);
      } catch (err) {
        // Another process may have taken the port between the probe and sshd's bind.
        if (attempt >= 3 || !log.text.includes('Address already in use')) throw err;
      }
    }
    const sshd = child;
    const host = '127.0.0.1';
    // A busy 2-core CI can take seconds over a handshake; tests of the timeout itself pass their own.
    const base = { host, port, hostKeyFingerprint, connectTimeoutMs: 20_000 };

    return {
      host,
      port,
      dir,
      hostKeyFingerprint,
      privateKey,
      login,
      username: login.username,
      target: (overrides = {}) => ({ ...base, username: login.username, auth: { type: 'key', privateKey }, ...overrides }),
      users: extra.map((u) => ({
        ...u,
        target: (overrides = {}) => ({ ...base, username: u.username, auth: { type: 'password', password: u.password }, ...overrides }),
      })),
      async killConnections() {
        const pids = await descendants(sshd.pid!);
        killAll(pids);
        return pids.length;
      },
      logs: () => log.text,
      async stop() {
        killAll(await descendants(sshd.pid!));
        if (sshd.exitCode === null) {
          sshd.removeAllListeners('exit');
          const exited = new Promise((r) => sshd.once('exit', r));
          sshd.kill('SIGTERM');
          await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
          if (sshd.exitCode === null) sshd.kill('SIGKILL');
        }
        for (const user of users) await removeLocalUser(user);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    child?.kill('SIGKILL');
    for (const user of users) await removeLocalUser(user);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
