/**
 * The machine the agent runs on as a @overmind/cm `CmHost`, so the chef-solo plugin's steps run here
 * unchanged: commands through /bin/sh in their own process group (as root through `sudo -n` when the
 * agent is not root), files written atomically with their exact mode.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, copyFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CmHost, HostExecOptions, HostExecResult, HostWriteOptions } from '@overmind/cm';
import { writeFileAtomic } from '../config/atomic-write.js';
import { runInProcessGroup } from './process-group.js';

/** What a timed-out or aborted command rejects with, as an SSH session's exec does. */
export class LocalCommandStoppedError extends Error {
  constructor(
    readonly reason: 'timeout' | 'abort',
    timeoutMs?: number,
  ) {
    super(reason === 'timeout' ? `command did not finish within ${Math.round((timeoutMs ?? 0) / 1000)} s and was killed` : 'command was stopped (run cancelled or timed out)');
    this.name = 'LocalCommandStoppedError';
  }
}

export function createLocalHost(options: { cwd?: string } = {}): CmHost {
  return {
    endpoint: `local:${hostname()}`,

    async exec(command: string, exec: HostExecOptions = {}): Promise<HostExecResult> {
      const result = await runInProcessGroup(command, {
        sudo: exec.sudo,
        stdin: exec.stdin,
        signal: exec.signal,
        timeoutMs: exec.timeoutMs,
        onStdout: exec.onStdout,
        onStderr: exec.onStderr,
        cwd: options.cwd,
      });
      if (result.stoppedBy) throw new LocalCommandStoppedError(result.stoppedBy, exec.timeoutMs);
      return { exitCode: result.exitCode, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
    },

    async writeFile(path: string, data: string | Buffer, write: HostWriteOptions = {}): Promise<void> {
      await writeFileAtomic(path, data, write.mode ?? 0o644);
    },

    async upload(source: string | Buffer | Readable, path: string, write: HostWriteOptions = {}): Promise<void> {
      const mode = write.mode ?? 0o644;
      if (Buffer.isBuffer(source)) return writeFileAtomic(path, source, mode);
      const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        if (typeof source === 'string') await copyFile(source, temp);
        else await pipeline(source, createWriteStream(temp, { flags: 'wx', mode }));
        await chmod(temp, mode);
        await rename(temp, path);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    },
  };
}
