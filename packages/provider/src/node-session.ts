/**
 * A shell on one node, lent by a driver that reaches its nodes over SSH (`ProviderDriver.withNodeSession`):
 * run commands (optionally as root) and write files. An `SshSession` from @overmind/ssh satisfies it
 * as is, and it is what the CM plugins work on (`CmHost` in @overmind/cm is this interface), so the
 * API can configure a registered server, or install its agent, over the server's own login.
 */
import type { Readable } from 'node:stream';

export interface NodeExecOptions {
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

export interface NodeExecResult {
  /** Null when the command was killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface NodeWriteOptions {
  /** Exact permission bits of the written file. */
  mode?: number;
}

export interface NodeSession {
  /** Where the node is, for messages (e.g. `deploy@10.0.0.5:22`). */
  readonly endpoint: string;
  /** Runs a POSIX shell command; resolves with its exit code whatever it is. */
  exec(command: string, options?: NodeExecOptions): Promise<NodeExecResult>;
  /** Writes a file as the login user, atomically, with `mode`. */
  writeFile(path: string, data: string | Buffer, options?: NodeWriteOptions): Promise<void>;
  /** Uploads a local file (a string is a local path), a Buffer or a stream, as the login user. */
  upload(source: string | Buffer | Readable, path: string, options?: NodeWriteOptions): Promise<void>;
}
