import { describe, expect, it } from 'vitest';
import {
  InvalidCredentialsError,
  NotFoundError,
  ProviderError,
  TransientError,
  type ProviderErrorCode,
} from '@overmind/provider';
import { ReplayServer, rejectionOf, useReplay } from '@overmind/testkit';
import { COMPUTE, PASSWORD, startOsReplay } from './os-replay.js';

const replay = useReplay(async () => {
  const started = await startOsReplay();
  await started.driver.validateCredentials(); // errors below come from Nova and Glance, not Keystone
  return started;
});

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await rejectionOf(promise);
  expect(err).toBeInstanceOf(ProviderError);
  expect((err as Error).message).not.toContain(PASSWORD);
  expect((err as Error).message).not.toContain(replay().tokens[0]);
  return err as ProviderError;
}

describe('openstack errors', () => {
  it.each([
    ['401', InvalidCredentialsError, 'invalid_credentials', 'requires authentication', 'Unauthorized'],
    ['403', InvalidCredentialsError, 'invalid_credentials', "Policy doesn't allow", 'forbidden'],
    ['404', NotFoundError, 'not_found', 'could not be found', 'itemNotFound'],
    ['500', TransientError, 'transient', 'Unexpected API Error', 'computeFault'],
  ] as const)('maps a Nova %s to %o with the provider message', async (scenario, type, code: ProviderErrorCode, message, providerCode) => {
    replay().server.override('GET', `${COMPUTE}/flavors/detail`, scenario);
    const err = await failure(replay().driver.listSizes());
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ code, status: Number(scenario), providerCode });
    expect(err.message).toContain(message);
  });

  it('maps a 429 to a TransientError that waits as long as Retry-After says', async () => {
    replay().server.scenario = '429';
    const err = await failure(replay().driver.listNodes());
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 7000, status: 429, providerCode: 'overLimit' });
  });

  it('keeps a 409 conflict as a ProviderError with the message, not retryable', async () => {
    const errors = replay().server.fixture<Record<string, unknown>>('errors.json');
    replay().server.override('POST', `${COMPUTE}/servers/:id/action`, { status: 409, json: errors.nova409 });
    const err = await failure(replay().driver.stopNode('0b6fd1e6-4f4d-4a55-8d1a-2d5f3b1c9e01'));
    expect(err).toMatchObject({ code: 'provider_error', retryable: false, status: 409, providerCode: 'conflictingRequest' });
    expect(err.message).toContain("Cannot 'stop' instance");
  });

  it('keeps a 403 for an exhausted quota apart from bad credentials', async () => {
    replay().server.override('POST', `${COMPUTE}/servers`, {
      status: 403,
      json: { forbidden: { code: 403, message: 'Quota exceeded for instances: Requested 1, but already used 10 of 10 instances' } },
    });
    const err = await failure(
      replay().driver.createNode({ name: 'q', imageId: 'i', sizeId: '1', locationId: 'nova', idempotencyKey: 'q' }),
    );
    expect(err.constructor).toBe(ProviderError);
    expect(err).toMatchObject({ status: 403, providerCode: 'forbidden', retryable: false });
    expect(err.message).toContain('Quota exceeded for instances');
  });

  it('maps a plain-text Glance 404 to NotFound with its text', async () => {
    replay().server.override('GET', '/image/v2/images', {
      status: 404,
      text: '<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>The resource could not be found.<br /><br /></body></html>',
      headers: { 'content-type': 'text/html; charset=UTF-8' },
    });
    const err = await failure(replay().driver.listImages());
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toContain('404 Not Found 404 Not Found The resource could not be found.');
  });

  it('reports a malformed JSON body as a ProviderError, not a crash', async () => {
    replay().server.scenario = 'malformed';
    const err = await failure(replay().driver.listLocations());
    expect(err.constructor).toBe(ProviderError);
    expect(err.message).toMatch(/compute GET \/os-availability-zone returned a malformed JSON body/);
  });

  it('reports a list body without its list as a ProviderError', async () => {
    replay().server.override('GET', `${COMPUTE}/flavors/detail`, { json: { flavors: null } });
    expect((await failure(replay().driver.listSizes())).message).toMatch(/without a "flavors" list/);
  });

  it('turns a slow answer past the request timeout into a TransientError', async () => {
    const fast = replay().makeDriver({ requestTimeoutMs: 100 });
    await fast.validateCredentials();
    replay().server.scenario = 'slow';
    const err = await failure(fast.listSizes());
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toMatch(/timed out after 100 ms/);
  });

  it('turns a refused connection into a TransientError', async () => {
    const closed = await ReplayServer.start();
    await closed.close();
    const err = await failure(replay().makeDriver({ authUrl: `${closed.url}/identity/v3` }).validateCredentials());
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toMatch(/identity POST \/v3\/auth\/tokens could not reach the API \(ECONNREFUSED\)/);
  });
});
