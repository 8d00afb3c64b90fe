/** What a run kind's executor gets and gives back; the run manager turns it into `run.finished`. */
import type { LogStream } from '@overmind/agent-protocol';

export interface RunIo {
  /** Aborted when the run is cancelled or passes its timeout (the manager knows which). */
  signal: AbortSignal;
  /** A log line of the run (masked, numbered and sent by the manager). */
  line(stream: LogStream, text: string): void;
}

export interface RunEnd {
  succeeded: boolean;
  exitCode: number | null;
  signal: string | null;
  summary: string | null;
  error: string | null;
  failedStep?: string | null;
}
