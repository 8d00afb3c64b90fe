import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

const BUILT = fileURLToPath(new URL('../../web/dist/assets/', import.meta.url));
const SCRIPT = Buffer.from(`export const rows = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ name: `node-${i}`, state: 'running' })))};\n`);
const YEAR = 'public, max-age=31536000, immutable';

let t: TestApp;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'overmind-web-assets-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Overmind console</title>');
  await writeFile(join(dir, 'assets/app-Ab12Cd34.js'), SCRIPT);
  await writeFile(join(dir, 'assets/app-Ab12Cd34.js.br'), brotliCompressSync(SCRIPT));
  await writeFile(join(dir, 'assets/app-Ab12Cd34.js.gz'), gzipSync(SCRIPT));
  await writeFile(join(dir, 'assets/noop-Ef56Gh78.js'), 'export {};\n'); // too small for the build to compress
  await writeFile(join(dir, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
  t = await createTestApp({ worker: false, env: { OVERMIND_WEB_DIR: dir } });
});
afterAll(async () => {
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (url: string, acceptEncoding?: string) =>
  t.app.inject({ method: 'GET', url, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

describe("the console's files", () => {
  it('sends the brotli copy to a browser that takes it, else the gzip one, else the file; a year in the cache for hashed assets', async () => {
    const br = await get('/assets/app-Ab12Cd34.js', 'gzip, deflate, br, zstd');
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
    expect(br.headers['cache-control']).toBe(YEAR);
    expect(brotliDecompressSync(br.rawPayload).equals(SCRIPT)).toBe(true);
    expect(br.rawPayload.length).toBeLessThan(SCRIPT.length / 4);

    const gz = await get('/assets/app-Ab12Cd34.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(SCRIPT)).toBe(true);
    expect(gz.headers['cache-control']).toBe(YEAR);

    const plain = await get('/assets/app-Ab12Cd34.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(SCRIPT)).toBe(true);
    expect(plain.headers['cache-control']).toBe(YEAR);
  });

  it('sends a file without a compressed copy as it is, and revalidates what is not a hashed asset', async () => {
    const tiny = await get('/assets/noop-Ef56Gh78.js', 'br, gzip');
    expect(tiny.statusCode).toBe(200);
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body).toBe('export {};\n');

    const robots = await get('/robots.txt', 'br, gzip');
    expect(robots.statusCode).toBe(200);
    expect(robots.headers['cache-control']).not.toMatch(/immutable|max-age=[1-9]/);

    // The page itself never: each copy carries its own nonce.
    expect((await get('/nodes', 'br, gzip')).headers['cache-control']).toBe('no-store');
    expect((await get('/index.html', 'br')).statusCode).toBe(404);
    // A compressed copy is the file's encoding, not a file of its own.
    expect((await get('/assets/app-Ab12Cd34.js.br', 'br')).headers['content-encoding']).toBeUndefined();
  });

  it('the build writes a brotli and a gzip copy of every script and stylesheet worth compressing', async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: build the console first (npm test builds it; or bash scripts/pnpm.sh run build)`);
    const files = (await readdir(BUILT)).filter((f) => /\.(js|css)$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    let compressed = 0;
    for (const f of files) {
      const original = await readFile(join(BUILT, f));
      if (original.length < 1024) continue;
      expect(existsSync(join(BUILT, `${f}.br`)), `${f}.br`).toBe(true);
      expect(existsSync(join(BUILT, `${f}.gz`)), `${f}.gz`).toBe(true);
      expect(brotliDecompressSync(await readFile(join(BUILT, `${f}.br`))).equals(original), `${f}.br decompresses to ${f}`).toBe(true);
      compressed++;
    }
    expect(compressed).toBeGreaterThan(10);
  });
});
