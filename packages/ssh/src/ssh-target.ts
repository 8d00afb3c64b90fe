/** Where and how to connect: the one input every SSH session starts from. */
import { createHash } from 'node:crypto';
import type { Algorithms } from 'ssh2';

export type SshAuth =
  | { type: 'key'; privateKey: string | Buffer; passphrase?: string }
  | { type: 'password'; password: string };

export interface SshTarget {
  host: string;
  /** Defaults to 22. */
  port?: number;
  username: string;
  auth: SshAuth;
  /**
   * The pinned host key fingerprint, OpenSSH style (`SHA256:base64`). Absent or null means trust on
   * first use: the session reports the observed fingerprint so the caller can store it.
   */
  hostKeyFingerprint?: string | null;
  /** TCP connect plus SSH handshake and authentication. Defaults to 15 s. */
  connectTimeoutMs?: number;
  /** Keepalive probe interval; 0 disables. Defaults to 15 s. */
  keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection counts as dead. Defaults to 3. */
  keepaliveCountMax?: number;
  /** Password for `sudo` when the user is not root; defaults to the login password, if any. */
  sudoPassword?: string;
}

export const DEFAULT_SSH_PORT = 22;
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
export const DEFAULT_KEEPALIVE_INTERVAL_MS = 15_000;
export const DEFAULT_KEEPALIVE_COUNT_MAX = 3;

/**
 * Modern algorithms first, then what stock OpenSSH (7.4 and later) still offers by default, so old
 * but supported servers connect. SHA-1 (ssh-rsa signatures, hmac-sha1, group1/group14-sha1) and CBC
 * ciphers are left out on purpose.
 */
export const SSH_ALGORITHMS: Algorithms = {
  kex: [
    'curve25519-sha256',
    'curve25519-sha256@libssh.org',
    'ecdh-sha2-nistp256',
    'ecdh-sha2-nistp384',
    'ecdh-sha2-nistp521',
    'diffie-hellman-group-exchange-sha256',
    'diffie-hellman-group16-sha512',
    'diffie-hellman-group18-sha512',
    'diffie-hellman-group14-sha256',
  ],
  serverHostKey: [
    'ssh-ed25519',
    'ecdsa-sha2-nistp256',
    'ecdsa-sha2-nistp384',
    'ecdsa-sha2-nistp521',
    'rsa-sha2-512',
    'rsa-sha2-256',
  ],
  // AES-GCM first, as ssh2's own defaults without its optional native addon (not built here, see
  // pnpm-workspace.yaml): ssh2 then computes chacha20-poly1305's Poly1305 in WebAssembly for every
  // packet, while AES-GCM runs in OpenSSL (AES-NI), with less client CPU on bulk transfers.
  cipher: [
    'aes128-gcm@openssh.com',
    'aes256-gcm@openssh.com',
    'chacha20-poly1305@openssh.com',
    'aes256-ctr',
    'aes192-ctr',
    'aes128-ctr',
  ],
  hmac: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512'],
  compress: ['none'],
};

/** `user@host:port`, safe for messages and logs. */
export function describeTarget(target: Pick<SshTarget, 'host' | 'port' | 'username'>): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.username}@${host}:${target.port ?? DEFAULT_SSH_PORT}`;
}

/** OpenSSH-style SHA256 fingerprint (`SHA256:...`, unpadded base64) of a public key blob. */
export function hostKeyFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Normalizes a pinned fingerprint for comparison. Accepts `SHA256:abc`, `sha256:abc` and padded base64;
 * refuses other formats (an MD5 `aa:bb:...` pin can never match and would silently lock a host out).
 */
export function normalizeFingerprint(fingerprint: string): string {
  const trimmed = fingerprint.trim();
  const match = /^sha256:([A-Za-z0-9+/]{43})=?$/i.exec(trimmed);
  if (!match) {
    throw new TypeError(
      `Unsupported host key fingerprint format "${trimmed}": expected OpenSSH SHA256 style, e.g. SHA256:<43 base64 chars>`,
    );
  }
  return `SHA256:${match[1]}`;
}
