import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliProcess } from './support/cli-process.js';
import { freePort } from './support/free-port.js';

const running: CliProcess[] = [];
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.kill('SIGKILL')));
  for (const c of cleanup) await c();
});

async function home(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'overmind-home-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Something else listening on a loopback port, as a second Overmind or any Postgres would. */
async function occupy(): Promise<number> {
  const port = await freePort();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return port;
}

function start(args: string[], env: Record<string, string>): CliProcess {
  const p = runCli(args, env);
  running.push(p);
  return p;
}

describe('start-up failures say what failed and what to do', () => {
  it('the embedded Postgres port is taken', async () => {
    const pgPort = await occupy();
    const p = start(['start'], { OVERMIND_HOME: await home(), PORT: String(await freePort()), OVERMIND_EMBEDDED_PG_PORT: String(pgPort) });
    expect(await p.exited).toBe(1);
    const said = p.output.join('\n');
    expect(said).not.toMatch(/undefined/);
    expect(said).toMatch(new RegExp(`overmind: port ${pgPort} on 127.0.0.1 is already in use`));
    expect(said).toMatch(/OVERMIND_EMBEDDED_PG_PORT/);
  }, 150_000);

  it('the HTTP port is taken', async () => {
    const httpPort = await occupy();
    const p = start(['start'], { OVERMIND_HOME: await home(), PORT: String(httpPort), OVERMIND_EMBEDDED_PG_PORT: String(await freePort()) });
    expect(await p.exited).toBe(1);
    expect(p.output.join('\n')).toMatch(new RegExp(`overmind: port ${httpPort} on 127.0.0.1 is already in use.*set PORT`));
  }, 150_000);

  it('DATABASE_URL points at nothing: the message names the address, never the password', async () => {
    const dbPort = await freePort();
    const p = start(['migrate'], { DATABASE_URL: `postgres://overmind:hunter2-secret@127.0.0.1:${dbPort}/overmind` });
    expect(await p.exited).toBe(1);
    const said = p.output.join('\n');
    expect(said).toMatch(new RegExp(`overmind: cannot use the database at postgres://overmind@127.0.0.1:${dbPort}/overmind: .*ECONNREFUSED.*DATABASE_URL`));
    expect(said).not.toContain('hunter2-secret');
  }, 90_000);
});

describe('shutdown is bounded whatever state the database is in', () => {
  it('stops promptly and cleanly after its embedded Postgres was killed', async () => {
    const dir = await home();
    const p = start(['start'], { OVERMIND_HOME: dir, PORT: String(await freePort()), OVERMIND_EMBEDDED_PG_PORT: String(await freePort()) });
    await p.waitFor(/Overmind is running/, 90_000);
    const pid = Number(readFileSync(join(dir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
    execFileSync('pkill', ['-KILL', '-P', String(pid)]);
    process.kill(pid, 'SIGKILL');
    await p.waitFor(/closed a connection|connection failed|terminating connection/, 30_000);

    const began = Date.now();
    p.child.kill('SIGTERM');
    const code = await p.exited;
    // Before, the stop waited forever for the dead Postgres to exit (the process lingered, then
    // left with exit 0 and no "stopped"). The margin is for a busy machine; the bound is 30 s.
    expect(Date.now() - began).toBeLessThan(15_000);
    expect(code).toBe(0);
    expect(p.output.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  }, 200_000);
});
