/** status.json: what `run` tells `status` (connected or not and since when, the last run), rewritten on every change. */
import { readFile } from 'node:fs/promises';
import type { RunOutcome } from '@overmind/agent-protocol';
import { writeFileAtomic } from './atomic-write.js';

export interface LastRun {
  id: string;
  kind: string;
  outcome: RunOutcome;
  finishedAt: string;
}

export interface AgentStatus {
  /** The `run` process; `status` checks it is still alive. */
  pid: number | null;
  connected: boolean;
  /** When `connected` last changed (or the service started or stopped). */
  since: string;
  agentId: string;
  nodeId: string | null;
  url: string;
  version: string;
  lastRun: LastRun | null;
  /** Why the last connection ended or failed, for troubleshooting. */
  lastError: string | null;
}

export async function readStatus(path: string): Promise<AgentStatus | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as AgentStatus;
  } catch {
    return null;
  }
}

/** Keeps the status in memory and on disk; writes are serialized so the file always holds the latest. */
export class StatusFile {
  #status: AgentStatus;
  #writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    initial: AgentStatus,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.#status = initial;
  }

  get current(): AgentStatus {
    return this.#status;
  }

  update(change: Partial<AgentStatus>): Promise<void> {
    this.#status = { ...this.#status, ...change };
    const snapshot = `${JSON.stringify(this.#status, null, 2)}\n`;
    this.#writing = this.#writing.then(() => writeFileAtomic(this.path, snapshot, 0o644)).catch(this.onError);
    return this.#writing;
  }
}
