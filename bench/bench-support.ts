/** What both benchmarks need: polling, starting `overmind` processes, and calling the API. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = join(ROOT, 'apps/api/bin/overmind.js');

export async function waitFor<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 120_000, pollMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Starts an `overmind` process and resolves once it is ready (the API answers health; a worker says so). */
export function startOvermind(
  args: string[],
  env: Record<string, string>,
  opts: { logLevel: string; baseUrl: string; /** Tracked at once, so a failed start is cleaned up too. */ children: ChildProcess[] },
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, LOG_LEVEL: opts.logLevel, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  opts.children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => {
    out = (out + d).slice(-10_000);
  });
  const failed = new Promise<never>((_, reject) => child.on('exit', (code) => reject(new Error(`${args[0]} exited with ${code}: ${out}`))));
  const ready = waitFor(async () => {
    if (args[0] === 'api') return fetch(`${opts.baseUrl}/api/v1/health`).then((r) => (r.ok ? true : undefined), () => undefined);
    return out.includes('Overmind is running') ? true : undefined;
  }, `${args[0]} to start`, 60_000);
  return Promise.race([ready, failed]).then(() => child);
}

/** A JSON API caller for one base URL; throws with the status and body on an error answer. */
export function apiCaller(baseUrl: string) {
  return async function api(path: string, token: string | null, init: RequestInit = {}) {
    const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const res = await fetch(`${baseUrl}${path}`, { ...init, headers });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
}
