export * from './ssh-errors.js';
export {
  DEFAULT_SSH_PORT,
  SSH_ALGORITHMS,
  describeTarget,
  hostKeyFingerprint,
  normalizeFingerprint,
  type SshAuth,
  type SshTarget,
} from './ssh-target.js';
export type { HostKeyInfo } from './ssh-connect.js';
export { DEFAULT_MAX_OUTPUT_BYTES, type ExecOptions, type ExecResult } from './ssh-exec.js';
export type { RemoteStat, UploadSource, WriteOptions } from './ssh-sftp.js';
export { shellQuote } from './remote-command.js';
export { SshSession, withSession } from './ssh-session.js';
export { SshPool, runOnMany, type RunOnManyOptions, type SshPoolOptions, type TargetResult } from './ssh-pool.js';
