import { setTimeout as sleep } from 'node:timers/promises';
import { SshAuthError, SshConnectError, SshSession, describeTarget, type HostKeyInfo, type SshTarget } from '@overmind/ssh';

export interface SshWaitOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** First and longest pause between attempts (doubling in between). */
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_SSH_WAIT: SshWaitOptions = { timeoutMs: 5 * 60_000, firstDelayMs: 1000, maxDelayMs: 15_000 };

/**
 * Connects to a node that may still be booting: refused or timed-out connections, and logins refused
 * while cloud-init has not installed the key yet, are retried with backoff until `timeoutMs`. A host
 * key that does not match the pin fails at once.
 */
export async function waitForSsh(
  target: SshTarget,
  options: SshWaitOptions,
  ctx: { signal: AbortSignal; log(line: string): void },
): Promise<{ session: SshSession; hostKey: HostKeyInfo }> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = options.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    const session = new SshSession(target);
    try {
      const hostKey = await session.connect();
      return { session, hostKey };
    } catch (err) {
      await session.close().catch(() => {});
      const waiting = err instanceof SshConnectError || err instanceof SshAuthError;
      if (!waiting) throw err;
      if (Date.now() + delay > deadline) {
        throw new Error(`SSH on ${describeTarget(target)} did not answer within ${Math.round(options.timeoutMs / 1000)} s: ${(err as Error).message}`);
      }
      ctx.log(`SSH not ready (attempt ${attempt}): ${(err as Error).message}; retrying in ${Math.ceil(delay / 1000)} s`);
      await sleep(delay, undefined, { signal: ctx.signal });
      delay = Math.min(delay * 2, options.maxDelayMs);
    }
  }
}
