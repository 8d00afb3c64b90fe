/**
 * What a CM plugin needs from a node: run commands (optionally as root) and write files. An
 * `SshSession` from @overmind/ssh satisfies it as is; a pull agent can implement it for the local
 * machine, so plugins run unchanged in both modes.
 */
import type { Readable } from 'node:stream';

export interface HostExecOptions {
  /** Each stdout line as it arrives, without the newline. */
  onStdout?: (line: string) => void;
  onStderr?: (line: string) => void;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Run as root (through sudo when the user is not root). */
  sudo?: boolean;
  /** Fed to the command's stdin; the place for secrets, never the command line. */
  stdin?: string | Buffer;
}

export interface HostExecResult {
  /** Null when the command was killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface HostWriteOptions {
  /** Exact permission bits of the written file. */
  mode?: number;
}

export interface CmHost {
  /** Where the node is, for messages (e.g. `deploy@10.0.0.5:22`). */
  readonly endpoint: string;
  /** Runs a POSIX shell command; resolves with its exit code whatever it is. */
  exec(command: string, options?: HostExecOptions): Promise<HostExecResult>;
  /** Writes a file as the login user, atomically, with `mode`. */
  writeFile(path: string, data: string | Buffer, options?: HostWriteOptions): Promise<void>;
  /** Uploads a local file (a string is a local path), a Buffer or a stream, as the login user. */
  upload(source: string | Buffer | Readable, path: string, options?: HostWriteOptions): Promise<void>;
}

/** Single-quotes a value for a POSIX shell. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
