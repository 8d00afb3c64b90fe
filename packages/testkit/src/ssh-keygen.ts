import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestSshKey {
  /** OpenSSH public key line, with a trailing newline as ssh-keygen writes it. */
  publicKey: string;
  privateKeyPath: string;
  /** Fingerprints as `ssh-keygen -l` prints them, without the `MD5:`/`SHA256:` prefix. */
  md5Fingerprint: string;
  sha256Fingerprint: string;
  /** Deletes the key files. */
  remove(): void;
}

function fingerprint(file: string, hash: 'md5' | 'sha256'): string {
  const line = execFileSync('ssh-keygen', ['-l', '-E', hash, '-f', file], { encoding: 'utf8' });
  const match = /\b(?:MD5|SHA256):(\S+)/.exec(line);
  if (!match?.[1]) throw new Error(`ssh-keygen printed no ${hash} fingerprint: ${line}`);
  return match[1];
}

/**
 * A throwaway ed25519 key made by the real ssh-keygen, with ssh-keygen's own fingerprints, so a
 * driver's fingerprint code is checked against OpenSSH rather than against itself.
 */
export function generateSshKey(comment = 'overmind-test'): TestSshKey {
  const dir = mkdtempSync(join(tmpdir(), 'overmind-key-'));
  const privateKeyPath = join(dir, 'id_ed25519');
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', privateKeyPath], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`generateSshKey needs ssh-keygen (Debian package openssh-client): ${String(err)}`);
  }
  const publicPath = `${privateKeyPath}.pub`;
  return {
    publicKey: readFileSync(publicPath, 'utf8'),
    privateKeyPath,
    md5Fingerprint: fingerprint(publicPath, 'md5'),
    sha256Fingerprint: fingerprint(publicPath, 'sha256'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
