/** Opens one authenticated ssh2 connection, enforcing the host key pin before any credential is sent. */
import { Client, type ConnectConfig } from 'ssh2';
import { HostKeyMismatchError, SshAuthError, SshConnectError } from './ssh-errors.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_KEEPALIVE_COUNT_MAX,
  DEFAULT_KEEPALIVE_INTERVAL_MS,
  DEFAULT_SSH_PORT,
  SSH_ALGORITHMS,
  describeTarget,
  hostKeyFingerprint,
  normalizeFingerprint,
  type SshTarget,
} from './ssh-target.js';

export interface HostKeyInfo {
  /** The fingerprint the server presented, `SHA256:...`. Store it to pin the host. */
  hostKeyFingerprint: string;
  /** False on trust-on-first-use (no pin was given): the caller should store the fingerprint. */
  hostKeyPinned: boolean;
}

export interface OpenConnection extends HostKeyInfo {
  client: Client;
}

function connectConfig(target: SshTarget, hostVerifier: (key: Buffer) => boolean): ConnectConfig {
  const base: ConnectConfig = {
    host: target.host,
    port: target.port ?? DEFAULT_SSH_PORT,
    username: target.username,
    readyTimeout: target.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    keepaliveInterval: target.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_INTERVAL_MS,
    keepaliveCountMax: target.keepaliveCountMax ?? DEFAULT_KEEPALIVE_COUNT_MAX,
    algorithms: SSH_ALGORITHMS,
    hostVerifier,
  };
  if (target.auth.type === 'key') {
    return { ...base, privateKey: target.auth.privateKey, passphrase: target.auth.passphrase };
  }
  // Servers that only offer PAM's keyboard-interactive get the same password for their prompt.
  return { ...base, password: target.auth.password, tryKeyboard: true };
}

type LeveledError = Error & { level?: string; code?: string };

function socketReason(err: LeveledError): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'ECONNRESET':
      return 'connection reset by the server';
    default:
      return err.message;
  }
}

export function openConnection(target: SshTarget): Promise<OpenConnection> {
  const endpoint = describeTarget(target);
  const pinned = target.hostKeyFingerprint ? normalizeFingerprint(target.hostKeyFingerprint) : undefined;
  const client = new Client();
  let observed: string | undefined;
  let mismatch = false;

  const hostVerifier = (key: Buffer) => {
    observed = hostKeyFingerprint(key);
    mismatch = pinned !== undefined && observed !== pinned;
    return !mismatch;
  };

  return new Promise<OpenConnection>((resolve, reject) => {
    const settle = (err?: Error) => {
      client.removeListener('ready', onReady);
      client.removeListener('error', onError);
      client.removeListener('close', onClose);
      client.removeListener('keyboard-interactive', onKeyboard);
      if (!err) return resolve({ client, hostKeyFingerprint: observed!, hostKeyPinned: pinned !== undefined });
      // Keep a listener so a late socket error after a failed handshake cannot crash the process.
      client.on('error', () => {});
      client.destroy();
      reject(err);
    };
    const onReady = () => settle();
    const onClose = () => settle(new SshConnectError(endpoint, 'connection closed during the handshake'));
    const onError = (err: LeveledError) => {
      if (mismatch) return settle(new HostKeyMismatchError(endpoint, pinned!, observed!));
      switch (err.level) {
        case 'client-authentication':
          return settle(new SshAuthError(endpoint, 'the server refused the credentials', { cause: err }));
        case 'client-timeout':
          return settle(new SshConnectError(endpoint, 'timed out', { cause: err }));
        case 'client-socket':
          return settle(new SshConnectError(endpoint, socketReason(err), { cause: err }));
        default:
          return settle(new SshConnectError(endpoint, err.message, { cause: err }));
      }
    };
    const onKeyboard = (
      _name: string,
      _instructions: string,
      _lang: string,
      prompts: { prompt: string; echo?: boolean }[],
      finish: (answers: string[]) => void,
    ) => {
      const password = target.auth.type === 'password' ? target.auth.password : '';
      finish(prompts.map((p) => (p.echo ? '' : password)));
    };

    client.on('ready', onReady).on('error', onError).on('close', onClose).on('keyboard-interactive', onKeyboard);
    try {
      client.connect(connectConfig(target, hostVerifier));
      // Request/response traffic (SFTP, small writes) would otherwise wait on Nagle + delayed ACKs.
      client.setNoDelay(true);
    } catch (err) {
      // ssh2 parses the private key synchronously; its messages never include the key itself.
      settle(new SshAuthError(endpoint, 'the private key could not be read (wrong passphrase or unsupported format)', { cause: err }));
    }
  });
}
