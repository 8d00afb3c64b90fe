import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDummyProvider, createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'overmind-web-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Overmind console</title>');
  await writeFile(join(dir, 'app.js'), 'console.log("console")');
  t = await createTestApp({ env: { OVERMIND_WEB_DIR: dir } });
});
afterAll(async () => {
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the built console', () => {
  it('is served at / with its assets, and client-side routes get index.html', async () => {
    const root = await t.app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('Overmind console');
    const asset = await t.app.inject({ method: 'GET', url: '/app.js' });
    expect(asset.body).toContain('console.log');
    const deep = await t.app.inject({ method: 'GET', url: '/nodes/1234' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('Overmind console');
  });

  it('leaves unknown API paths as problem+json 404s', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json().detail).toBe('No route GET /api/v1/nope');
  });
});

describe('image favourites', () => {
  it('are audited', async () => {
    const provider = await createDummyProvider(t);
    const res = await t.request('operator', { method: 'PUT', url: `/api/v1/providers/${provider.id}/images/rocky-9/favourite` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'rocky-9', favourite: true });
    const first = (await t.request('observer', { method: 'GET', url: `/api/v1/providers/${provider.id}/images` })).json().items[0];
    expect(first.id).toBe('rocky-9');
    const audit = (await t.request('admin', { method: 'GET', url: '/api/v1/audit-events?action=image.favourite' })).json();
    expect(audit.items[0]).toMatchObject({ actorName: 'operator', targetId: provider.id, details: { imageId: 'rocky-9' } });
  });
});
