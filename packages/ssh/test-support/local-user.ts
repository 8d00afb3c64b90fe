/** Throwaway local Unix users for password and sudo tests (the tests run as root). */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type SudoRule = 'none' | 'password' | 'nopasswd';

export interface LocalUser {
  username: string;
  password: string;
  home: string;
  sudo: SudoRule;
}

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

export async function createLocalUser(homeParent: string, sudo: SudoRule = 'none'): Promise<LocalUser> {
  if (process.getuid?.() !== 0) throw new Error('createLocalUser needs root (useradd, chpasswd)');
  const username = `om-ssh-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('base64url');
  const home = `${homeParent}/${username}`;
  await retry('useradd', () => run('/usr/sbin/useradd', ['-m', '-d', home, '-s', '/bin/sh', username]));
  await retry('chpasswd', () => runWithInput('/usr/sbin/chpasswd', [], `${username}:${password}\n`));
  if (sudo !== 'none') {
    const rule = sudo === 'nopasswd' ? 'NOPASSWD: ALL' : 'ALL';
    // Lecture off so the first sudo does not print a banner into the command's stderr.
    await writeFile(sudoersPath(username), `Defaults:${username} !lecture\n${username} ALL=(ALL) ${rule}\n`, { mode: 0o440 });
  }
  return { username, password, home, sudo };
}

export async function removeLocalUser(user: LocalUser): Promise<void> {
  await rm(sudoersPath(user.username), { force: true });
  await retry('userdel', () => run('/usr/sbin/userdel', ['-f', '-r', user.username])).catch(async () => {
    // userdel -r refuses if the mail spool is missing on some setups; the account is gone either way.
    await run('/usr/sbin/userdel', ['-f', user.username]).catch(() => undefined);
  });
}
