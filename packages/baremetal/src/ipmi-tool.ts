/**
 * Runs `ipmitool -I lanplus` (what Foreman's smart proxy drives). The password travels in the child's
 * environment (`-E` reads IPMI_PASSWORD), never on its command line; every run has a timeout, and a
 * run that timed out is retried.
 */
import { execFile } from 'node:child_process';
import type { OperationContext } from '@overmind/provider';
import { BmcAuthError, BmcRequestError, BmcUnreachableError } from './baremetal-errors.js';
import type { IpmiRegistration } from './node-registration.js';

export interface IpmiToolOptions {
  ipmitoolPath: string;
  timeoutMs: number;
  retries: number;
}

// The child gets this environment and nothing of ours.
const CHILD_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const MAX_OUTPUT = 4 * 1024 * 1024;

const AUTH_REFUSED = /RAKP 2 HMAC is invalid|unauthorized name|invalid user ?name|password.*(invalid|incorrect)|Authentication type .* not supported/i;
const PRIVILEGE = /insufficient privilege|requested privilege level|privilege level .* (exceeds|not available)/i;
const CIPHER = /invalid (authentication|integrity|confidentiality) algorithm|cipher suite .* (not supported|unavailable)/i;
const NO_SESSION = /Unable to establish (IPMI v2 \/ RMCP\+|LAN) session|Get Auth Capabilities error|Error issuing Get Channel Authentication/i;

interface RunOutcome {
  stdout: string;
  stderr: string;
  /** Null when ipmitool exited 0. */
  failure: { exitCode: number | null; timedOut: boolean } | null;
  elapsedMs: number;
}

export class IpmiTool {
  readonly endpoint: string;

  constructor(
    private readonly target: IpmiRegistration,
    private readonly options: IpmiToolOptions,
  ) {
    this.endpoint = `${target.address}:${target.port}`;
  }

  /** Runs `ipmitool <session args> <args>` and returns stdout; retries when the BMC did not answer. */
  async run(args: string[], ctx?: OperationContext): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(args, ctx);
      } catch (err) {
        if (!(err instanceof BmcUnreachableError) || attempt >= this.options.retries || ctx?.signal?.aborted) throw err;
        ctx?.log?.(`BMC ${this.endpoint} did not answer; retrying (${attempt + 1}/${this.options.retries})`);
      }
    }
  }

  private async attempt(args: string[], ctx?: OperationContext): Promise<string> {
    const outcome = await this.spawn(args, ctx);
    if (!outcome.failure) return outcome.stdout;
    if (outcome.failure.timedOut) {
      throw new BmcUnreachableError(this.endpoint, `no answer within ${this.options.timeoutMs} ms`);
    }
    const known = this.classify(outcome.stderr);
    if (known) throw known;
    if (NO_SESSION.test(outcome.stderr)) {
      // A session that failed fast was refused rather than lost; only verbose output says why.
      if (outcome.elapsedMs < this.options.timeoutMs / 2) {
        const probe = await this.spawn(['-v', 'chassis', 'power', 'status'], ctx);
        const reason = probe.failure ? this.classify(probe.stderr) : null;
        if (reason) throw reason;
      }
      throw new BmcUnreachableError(this.endpoint, 'no IPMI session could be established');
    }
    const said = lastLine(outcome.stderr) || `ipmitool exited with code ${outcome.failure.exitCode}`;
    throw new BmcRequestError(`BMC ${this.endpoint} refused "${args.join(' ')}": ${said}`);
  }

  private classify(stderr: string): Error | null {
    if (AUTH_REFUSED.test(stderr)) return new BmcAuthError(this.endpoint, 'wrong IPMI user name or password');
    if (PRIVILEGE.test(stderr)) {
      return new BmcAuthError(this.endpoint, `the IPMI user lacks the ${this.target.privilege.toUpperCase()} privilege this needs`);
    }
    if (CIPHER.test(stderr)) {
      return new BmcRequestError(
        `BMC ${this.endpoint} does not support RMCP+ cipher suite ${this.target.cipherSuite}; set bmc.cipherSuite (3 and 17 are common)`,
        { providerCode: 'cipher_suite' },
      );
    }
    return null;
  }

  private sessionArgs(): string[] {
    const t = this.target;
    // ipmitool takes about (retries + 1) x timeout; -R 0 would mean its default of 4 retries, so one
    // retry and a whole-second timeout are the floor (2 s). The kill timer holds shorter budgets.
    const perTrySeconds = Math.max(1, Math.floor(this.options.timeoutMs / 2000));
    return [
      '-I', 'lanplus',
      '-H', t.address,
      '-p', String(t.port),
      '-U', t.username,
      '-E',
      '-C', String(t.cipherSuite),
      '-L', t.privilege.toUpperCase(),
      '-N', String(perTrySeconds),
      '-R', '1',
    ];
  }

  private spawn(args: string[], ctx?: OperationContext): Promise<RunOutcome> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      execFile(
        this.options.ipmitoolPath,
        [...this.sessionArgs(), ...args],
        {
          env: { IPMI_PASSWORD: this.target.password, LC_ALL: 'C', PATH: CHILD_PATH },
          timeout: this.options.timeoutMs + 250,
          killSignal: 'SIGKILL',
          maxBuffer: MAX_OUTPUT,
          signal: ctx?.signal,
        },
        (err, stdout, stderr) => {
          const elapsedMs = Date.now() - started;
          if (!err) return resolve({ stdout, stderr, failure: null, elapsedMs });
          const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
          if (e.name === 'AbortError') return reject(err);
          if (e.code === 'ENOENT' || e.code === 'EACCES') {
            return reject(
              new BmcRequestError(`ipmitool (${this.options.ipmitoolPath}) cannot run on this Overmind worker: install the ipmitool package`, {
                cause: err,
                providerCode: 'ipmitool_missing',
              }),
            );
          }
          const timedOut = e.killed === true;
          resolve({ stdout, stderr, failure: { exitCode: typeof e.code === 'number' ? e.code : null, timedOut }, elapsedMs });
        },
      );
    });
  }
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !/Get HPM\.x Capabilities|Unable to Get Channel Cipher Suites/.test(l));
  return (lines.at(-1) ?? '').slice(0, 300);
}
