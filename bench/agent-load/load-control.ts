/** The benchmark's handle on a load process: fork it, ask it things over IPC, each answer bounded in time. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command, LoadOptions, LoadStats, Reply, RunLatencies, RunRequests } from './load-messages.js';

type Ask = Command extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

export class LoadProcess {
  #next = 1;
  #waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    child.on('message', (reply: Reply) => {
      const w = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      if (reply.ok) w?.resolve(reply.value);
      else w?.reject(new Error(`load process: ${reply.error}`));
    });
    this.#exited = new Promise((resolve) => child.on('exit', (code) => {
      for (const w of this.#waiting.values()) w.reject(new Error(`load process exited with ${code}`));
      this.#waiting.clear();
      resolve(code);
    }));
  }

  static start(children: ChildProcess[]): LoadProcess {
    const child = fork(fileURLToPath(new URL('./load-agents.ts', import.meta.url)), [], {
      execArgv: ['--import', import.meta.resolve('tsx'), ...(process.env.LOAD_CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LOAD_CPU_PROFILE_DIR}`] : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    return new LoadProcess(child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  #ask<T>(command: Ask, timeoutMs: number): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`load process did not answer ${command.cmd} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.#waiting.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child.send({ ...command, id } as Command);
    });
  }

  connect(options: LoadOptions): Promise<number> {
    return this.#ask({ cmd: 'start', options }, 60_000);
  }

  stats(resetLoopDelay = false): Promise<LoadStats> {
    // Bounded, but generous: the load process itself can stall for seconds on a busy machine.
    return this.#ask({ cmd: 'stats', resetLoopDelay }, 60_000);
  }

  requestRuns(requests: RunRequests): Promise<RunLatencies> {
    const bound = requests.nodeIds.length * requests.spacingMs * 2 + requests.timeoutMs + 30_000;
    return this.#ask({ cmd: 'runs', requests }, bound);
  }

  /** Closes every agent and ends the process; the counts once nothing more is sent (null if it did not answer). */
  async stop(): Promise<LoadStats | null> {
    const last = await this.#ask<LoadStats>({ cmd: 'stop' }, 10_000).catch(() => null);
    const exited = await Promise.race([this.#exited, new Promise((r) => setTimeout(() => r('timeout'), 5000))]);
    if (exited === 'timeout') this.child.kill('SIGKILL');
    return last;
  }
}
