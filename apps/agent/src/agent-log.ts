/**
 * The agent's own log: one line per event on stderr (journald under systemd, a file under nohup),
 * with a timestamp and a level. Never the token, env values or secret attributes.
 */

export type LogLevel = 'info' | 'warn' | 'error';

export interface AgentLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createAgentLog(write: (line: string) => void = (line) => process.stderr.write(line)): AgentLog {
  const emit = (level: LogLevel) => (message: string) => write(`${new Date().toISOString()} ${level} ${message.replace(/[\r\n]+/g, ' ')}\n`);
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** The message of an error, never its stack: what the agent logs and prints. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}
