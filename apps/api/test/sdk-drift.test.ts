import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { normalizeDocument, renderSchema } from '@overmind/sdk/codegen';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

const sdkFile = (path: string) => fileURLToPath(new URL(`../../../packages/sdk/${path}`, import.meta.url));
const REGENERATE = 'The SDK is out of date with the API: run `pnpm --filter @overmind/sdk generate` and commit the result.';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ worker: false });
});
afterAll(() => t?.close());

describe('the generated SDK', () => {
  it('was generated from the OpenAPI document the app serves now', async () => {
    const committed = await readFile(sdkFile('openapi.json'), 'utf8');
    const current = normalizeDocument(t.app.swagger());
    // A plain boolean first so the failure leads with the fix, not a 20,000-line diff.
    if (committed !== current) expect.fail(REGENERATE);
    expect(committed).toBe(current);
  });

  it('has schema.d.ts as openapi-typescript renders the committed document', async () => {
    const document = JSON.parse(await readFile(sdkFile('openapi.json'), 'utf8'));
    const committed = await readFile(sdkFile('src/schema.d.ts'), 'utf8');
    if (committed !== (await renderSchema(document))) expect.fail(REGENERATE);
  });
});
