/**
 * The runs this agent has taken, one small JSON file each under `state/runs/`, so a restarted agent
 * knows what it was doing: a run is never started twice, a run cut short by a restart is reported
 * failed, and a result the server has not acknowledged is sent again. Specs are not kept (env values
 * and secret attributes never touch the disk here).
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunFinishedMessage, RunKind } from '@overmind/agent-protocol';
import { writeFileAtomic } from '../config/atomic-write.js';

export interface JournalEntry {
  id: string;
  kind: RunKind;
  state: 'running' | 'finished';
  acceptedAt: string;
  deadline: string;
  /** Log lines numbered so far (kept current at the end of a run, every few seconds while it runs). */
  logSeq: number;
  /** The result, once finished. */
  result: RunFinishedMessage | null;
  finishedAt: string | null;
  /** The server acknowledged the result: nothing of this run is left to send. */
  acked: boolean;
  /** Set when the agent stopped (SIGTERM) during the run, for the reason reported at the next start. */
  stoppedAt?: string | null;
}

/** Finished and acknowledged runs remembered (to answer a late re-offer without running it again). */
const KEEP_FINISHED = 200;

/** A file name for any run id (ids may hold characters a path must not). */
const fileOf = (id: string) => `${Buffer.from(id).toString('base64url')}.json`;

export class RunJournal {
  constructor(private readonly dir: string) {}

  async load(): Promise<JournalEntry[]> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const entries: JournalEntry[] = [];
    for (const name of await readdir(this.dir)) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      try {
        const entry = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as JournalEntry;
        if (typeof entry.id === 'string' && fileOf(entry.id) === name) entries.push(entry);
      } catch {
        // A damaged entry (disk full at the wrong moment) is skipped; the server fails its run at the deadline.
      }
    }
    return entries.sort((a, b) => a.acceptedAt.localeCompare(b.acceptedAt));
  }

  save(entry: JournalEntry): Promise<void> {
    return writeFileAtomic(join(this.dir, fileOf(entry.id)), `${JSON.stringify(entry)}\n`, 0o600);
  }

  /** Forgets the oldest finished-and-acked runs beyond KEEP_FINISHED; returns the ids forgotten. */
  async prune(entries: JournalEntry[]): Promise<string[]> {
    const done = entries.filter((e) => e.state === 'finished' && e.acked).sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''));
    const forgotten = done.slice(KEEP_FINISHED).map((e) => e.id);
    for (const id of forgotten) await rm(join(this.dir, fileOf(id)), { force: true });
    return forgotten;
  }
}
