/**
 * Throwaway local Unix users for the sshd fixture (the tests run as root). Each gets a plain /bin/sh
 * and an empty home: no dotfiles, so a login costs what sshd costs and not what the machine's own
 * users put in their ~/.bashrc.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type SudoRule = 'none' | 'password' | 'nopasswd';

export interface LocalUserSpec {
  sudo?: SudoRule;
  /** A second name for uid 0 (root's privileges, its own shell and home), for peers that want root and no sudo. */
  rootAlias?: boolean;
  /** sudo's PATH for this user instead of the system's secure_path, e.g. with fake commands first. */
  sudoPath?: string;
}

export interface LocalUser {
  username: string;
  password: string;
  home: string;
  uid: number;
  gid: number;
  sudo: SudoRule;
}

/** Every name starts with this; with the creator's PID in the comment so a later run can reap leftovers. */
const PREFIX = 'om-t-';
const COMMENT = /^overmind test user, pid (\d+)$/;

/** Runs a command feeding `input` on stdin, so passwords never reach a command line. */
function runWithInput(file: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, (err, _stdout, stderr) =>
      err ? reject(new Error(`${file} failed: ${stderr.trim() || err.message}`)) : resolve(),
    );
    child.stdin?.end(input);
  });
}

/** useradd takes a lock on /etc/passwd; other test files may hold it for a moment. */
async function retry<T>(what: string, fn: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 150 * (attempt + 1)));
    }
  }
  throw new Error(`${what} failed: ${last instanceof Error ? last.message : String(last)}`);
}

function sudoersPath(username: string): string {
  return `/etc/sudoers.d/${username}`;
}

async function passwdEntry(username: string): Promise<string[]> {
  const { stdout } = await run('getent', ['passwd', username]);
  return stdout.trim().split(':');
}

async function deleteAccount(username: string, removeHome: boolean): Promise<void> {
  await rm(sudoersPath(username), { force: true });
  // -f: a root alias shares uid 0 with every root process, which userdel would otherwise call busy.
  const args = removeHome ? ['-f', '-r', username] : ['-f', username];
  await retry('userdel', () => run('/usr/sbin/userdel', args)).catch(async () => {
    // userdel -r refuses if the mail spool is missing on some setups; the account is gone either way.
    await run('/usr/sbin/userdel', ['-f', username]).catch(() => undefined);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes test users left by a run that was killed before its teardown (their creator is gone). */
export async function reapStaleUsers(): Promise<string[]> {
  const { stdout } = await run('getent', ['passwd']);
  const stale = stdout
    .split('\n')
    .map((line) => line.split(':'))
    .filter(([name, , , , comment]) => {
      const pid = name?.startsWith(PREFIX) ? COMMENT.exec(comment ?? '')?.[1] : undefined;
      return pid !== undefined && !alive(Number(pid));
    })
    .map(([name]) => name!);
  // Homes of a killed run sit in its fixture's temp dir; a root alias's home is never removed by userdel.
  for (const name of stale) await deleteAccount(name, false);
  return stale;
}

export async function createLocalUser(homeParent: string, spec: LocalUserSpec = {}): Promise<LocalUser> {
  if (process.getuid?.() !== 0) throw new Error('createLocalUser needs root (useradd, chpasswd)');
  const sudo = spec.sudo ?? 'none';
  const username = `${PREFIX}${randomBytes(5).toString('hex')}`;
  const password = randomBytes(12).toString('base64url');
  const home = `${homeParent}/${username}`;
  // -M and our own empty home: /etc/skel would bring a .bashrc and a .profile.
  const identity = spec.rootAlias ? ['-o', '-u', '0', '-g', '0'] : [];
  const comment = `overmind test user, pid ${process.pid}`;
  await retry('useradd', () => run('/usr/sbin/useradd', [...identity, '-M', '-d', home, '-s', '/bin/sh', '-c', comment, username]));
  try {
    const [, , uid, gid] = await passwdEntry(username);
    await mkdir(home, { mode: 0o755 });
    await chown(home, Number(uid), Number(gid));
    // A password also unlocks the account: sshd refuses even key logins to a locked one.
    await retry('chpasswd', () => runWithInput('/usr/sbin/chpasswd', [], `${username}:${password}\n`));
    if (sudo !== 'none') {
      const rule = sudo === 'nopasswd' ? 'NOPASSWD: ALL' : 'ALL';
      // Lecture off so the first sudo does not print a banner into the command's stderr.
      const lines = [`Defaults:${username} !lecture`, `${username} ALL=(ALL) ${rule}`];
      if (spec.sudoPath) lines.unshift(`Defaults:${username} secure_path="${spec.sudoPath.replace(/["\\]/g, '')}"`);
      await writeFile(sudoersPath(username), `${lines.join('\n')}\n`, { mode: 0o440 });
    }
    return { username, password, home, uid: Number(uid), gid: Number(gid), sudo };
  } catch (err) {
    await deleteAccount(username, false);
    throw err;
  }
}

export async function removeLocalUser(user: LocalUser): Promise<void> {
  await deleteAccount(user.username, user.uid !== 0);
  await rm(user.home, { recursive: true, force: true });
}
