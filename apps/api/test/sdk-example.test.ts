import { rebootFirstRunningNode } from '@overmind/sdk/examples/reboot-node-example';
import { createOvermindClient, OvermindApiError } from '@overmind/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDummyProvider, createTestApp, PASSWORDS, waitForJob, type TestApp } from './support/test-app.js';

let t: TestApp;
let baseUrl: string;
beforeAll(async () => {
  t = await createTestApp();
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t?.close());

describe('the SDK example in docs/sdk.md', () => {
  it('logs in, finds the running node, reboots it and waits for the job', async () => {
    const provider = await createDummyProvider(t);
    const created = await t.request('operator', { method: 'POST', url: '/api/v1/nodes', payload: { providerId: provider.id, name: 'web-1', imageId: 'rocky-9', sizeId: 'small', locationId: 'lab-1' } });
    expect(created.statusCode, created.body).toBe(202);
    expect((await waitForJob(t, created.json().id)).state).toBe('succeeded');

    const { node, job } = await rebootFirstRunningNode(baseUrl, 'operator', PASSWORDS.operator);
    expect(node.name).toBe('web-1');
    expect(job).toMatchObject({ type: 'node.reboot', targetId: node.id, state: 'succeeded' });
  });

  it('throws the problem+json as OvermindApiError', async () => {
    const overmind = createOvermindClient({ baseUrl, token: t.tokens.observer });
    const err = await overmind.rebootNode('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvermindApiError);
    expect(err).toMatchObject({ status: 403 });
    expect((err as OvermindApiError).requestId).toMatch(/.+/);

    const bad = await createOvermindClient({ baseUrl }).login('operator', 'wrong-password').catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 401, name: 'OvermindApiError' });
  });
});
