/**
 * The command line actually sent, and the reading of its stderr preamble.
 *
 * The line first prints the remote shell's PID (a process group leader: sshd calls setsid), so a
 * timed-out command can be killed as a group from a second channel; OpenSSH ignores channel signal
 * requests for root logins.
 *
 * With sudo, the password is never on a command line: sudo prints a random prompt on stderr when it
 * wants the password, and only then is the password written to stdin, so a NOPASSWD rule never leaks
 * it into the command's stdin. The wrapped shell prints a marker once sudo let it run; the caller's
 * stdin is held back until then.
 *
 * Secret environment variables are not on the line either: they arrive on stdin as `export` lines
 * ending with a random end marker, and the remote shell reads them with builtins (`read`, `eval`), so
 * no process ever has them in its argv.
 */
import { randomBytes } from 'node:crypto';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Single-quotes a value for a POSIX shell. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Prefixes `export NAME='value';` for each variable. Values end up in the remote shell's command line,
 * so they are for settings (LANG, PATH), never secrets: pass those on stdin.
 */
export function withEnv(command: string, env: Record<string, string> | undefined): string {
  if (!env) return command;
  const exports = Object.entries(env).map(([name, value]) => {
    checkName(name);
    return `export ${name}=${shellQuote(value)}; `;
  });
  return exports.join('') + command;
}

function checkName(name: string): void {
  if (!ENV_NAME.test(name)) throw new TypeError(`Invalid environment variable name "${name}"`);
}

// Shell variables the reader uses; unset again before the command runs.
const READER_VARS = '__overmind_env __overmind_line __overmind_ok';

/**
 * Reads `export` lines from stdin up to `endMarker` and evaluates them, all in shell builtins. A
 * stream cut short (no end marker) stops the command instead of running it without its variables.
 */
export function secretEnvReader(endMarker: string): string {
  return [
    '__overmind_env=; __overmind_ok=;',
    'while IFS= read -r __overmind_line; do',
    `if [ "$__overmind_line" = ${shellQuote(endMarker)} ]; then __overmind_ok=1; break; fi;`,
    // A newline inside double quotes: the lines are joined back as they came.
    `__overmind_env="$__overmind_env$__overmind_line\n";`,
    'done;',
    `[ -n "$__overmind_ok" ] || { echo 'overmind: the environment did not arrive' >&2; exit 125; };`,
    `eval "$__overmind_env"; unset ${READER_VARS};`,
  ].join(' ');
}

/** What `secretEnvReader` reads: one quoted `export` per variable (values may span lines), then the marker. */
export function secretEnvScript(env: Record<string, string>, endMarker: string): string {
  const lines = Object.entries(env).map(([name, value]) => {
    checkName(name);
    // The environment of a process cannot hold NUL; a shell would silently cut the value there.
    if (value.includes('\0')) throw new TypeError(`Environment variable ${name} contains a NUL character`);
    return `export ${name}=${shellQuote(value)}\n`;
  });
  return `${lines.join('')}${endMarker}\n`;
}

export interface RemoteCommandHooks {
  /** Write the sudo password line to the channel's stdin. */
  sendPassword(): void;
  /** The command itself runs now, so its stdin may flow. */
  onStarted(): void;
  /** sudo asked again (wrong password) or asked without one being configured. */
  onSudoRefused(reason: string): void;
}

export interface RemoteCommandOptions {
  env?: Record<string, string>;
  /** Variables to read from stdin before the command (see `secretEnvScript`). */
  secretEnv?: Record<string, string>;
  sudo: boolean;
  sudoPassword: string | undefined;
}

export class RemoteCommand {
  /** The full line for the remote login shell. */
  readonly line: string;
  /** What to write to stdin first when there are secret variables, else undefined. */
  readonly envInput: string | undefined;
  /** PID (= process group) of the remote shell, once it reported it. */
  pid: number | undefined;
  started = false;

  private readonly pidPrefix: Buffer;
  private readonly prompt: Buffer;
  private readonly okLine: Buffer;
  private pending: Buffer = Buffer.alloc(0);
  private prompts = 0;

  constructor(
    command: string,
    private readonly options: RemoteCommandOptions,
    private readonly hooks: RemoteCommandHooks,
  ) {
    const token = randomBytes(9).toString('hex');
    this.pidPrefix = Buffer.from(`overmind-pid-${token}:`);
    this.prompt = Buffer.from(`[overmind-sudo-${token}]`);
    this.okLine = Buffer.from(`overmind-sudo-ok-${token}\n`);
    const secret = options.secretEnv && Object.keys(options.secretEnv).length > 0 ? options.secretEnv : undefined;
    const endMarker = `overmind-env-end-${token}`;
    this.envInput = secret ? secretEnvScript(secret, endMarker) : undefined;
    const body = `${secret ? `${secretEnvReader(endMarker)} ` : ''}${withEnv(command, options.env)}`;
    this.line = `printf '%s%s\\n' ${shellQuote(this.pidPrefix.toString())} "$$" >&2; ${options.sudo ? this.sudoLine(body) : body}`;
  }

  /** sudo -S only when a password will be fed, else -n to fail fast instead of waiting. */
  private sudoLine(body: string): string {
    const inner = `printf '%s\\n' ${shellQuote(this.okLine.toString().trim())} >&2; ${body}`;
    const mode = this.options.sudoPassword === undefined ? '-n' : '-S';
    return `sudo ${mode} -p ${shellQuote(this.prompt.toString())} -- /bin/sh -c ${shellQuote(inner)}`;
  }

  /** Feeds raw stderr; returns the bytes that belong to the command's own stderr. */
  push(chunk: Buffer): Buffer {
    if (this.started) return chunk;
    this.pending = Buffer.concat([this.pending, chunk]);
    if (this.pid === undefined && !this.readPid()) return Buffer.alloc(0);
    if (this.options.sudo && !this.readSudo()) return Buffer.alloc(0);
    this.started = true;
    this.hooks.onStarted();
    return this.flush();
  }

  /** Stderr held back while waiting for the preamble (e.g. a shell syntax error, sudo's refusal). */
  flush(): Buffer {
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    return rest;
  }

  private readPid(): boolean {
    const at = this.pending.indexOf(this.pidPrefix);
    const end = at === -1 ? -1 : this.pending.indexOf('\n', at);
    if (end === -1) return false;
    this.pid = Number(this.pending.subarray(at + this.pidPrefix.length, end).toString());
    this.pending = Buffer.concat([this.pending.subarray(0, at), this.pending.subarray(end + 1)]);
    return true;
  }

  private readSudo(): boolean {
    let at: number;
    while ((at = this.pending.indexOf(this.prompt)) !== -1) {
      this.pending = Buffer.concat([this.pending.subarray(0, at), this.pending.subarray(at + this.prompt.length)]);
      this.prompts += 1;
      if (this.options.sudoPassword === undefined) this.hooks.onSudoRefused('a password is required');
      else if (this.prompts > 1) this.hooks.onSudoRefused('the sudo password was refused');
      else this.hooks.sendPassword();
    }
    const ok = this.pending.indexOf(this.okLine);
    if (ok === -1) return false;
    this.pending = Buffer.concat([this.pending.subarray(0, ok), this.pending.subarray(ok + this.okLine.length)]);
    return true;
  }
}
