/**
 * Regenerates openapi.json and src/schema.d.ts from the real API: starts `overmind api` on an
 * embedded Postgres in a temporary directory, fetches its OpenAPI document, stops it.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeDocument, renderSchema } from './codegen.js';

const sdkDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(sdkDir, '../../apps/api/bin/overmind.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function fetchDocument(url: string, exited: () => string | undefined, timeoutMs = 120_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = exited();
    if (why) throw new Error(why);
    try {
      const res = await fetch(url);
      if (res.ok) return await res.json();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no OpenAPI document at ${url} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const home = await mkdtemp(join(tmpdir(), 'overmind-sdk-gen-'));
await chmod(home, 0o755); // the embedded Postgres runs as `postgres` when we are root
const [port, pgPort] = [await freePort(), await freePort()];
const child = spawn(process.execPath, [cli, 'api'], {
  env: {
    ...process.env,
    OVERMIND_HOME: home,
    PORT: String(port),
    HOST: '127.0.0.1',
    OVERMIND_EMBEDDED_PG_PORT: String(pgPort),
    LOG_LEVEL: 'warn',
  },
  // stdout carries the generated admin password of this throwaway instance: never show it.
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
child.stderr.on('data', (chunk) => (stderr += String(chunk)));
let exit: string | undefined;
child.on('exit', (code) => (exit = `overmind api exited (${code}) before serving its document:\n${stderr}`));
try {
  const document = await fetchDocument(`http://127.0.0.1:${port}/api/v1/openapi.json`, () => exit);
  await writeFile(join(sdkDir, 'openapi.json'), normalizeDocument(document));
  await writeFile(join(sdkDir, 'src/schema.d.ts'), await renderSchema(document));
  console.log('wrote openapi.json and src/schema.d.ts');
} finally {
  if (!exit) {
    const stopped = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await stopped;
  }
  await rm(home, { recursive: true, force: true });
}
