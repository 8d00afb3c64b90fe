import { describe, expect, it } from 'vitest';
import {
  InvalidCredentialsError,
  NotFoundError,
  ProviderError,
  ResponseTooLargeError,
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
    const err = await failure(replay().driver.stopNode('764e369e-a874-4401-b7ce-43e4760888da'));
    expect(err).toMatchObject({ code: 'provider_error', retryable: false, status: 409, providerCode: 'conflictingRequest' });
    expect(err.message).toMatch(/^server 764e369e-a874-4401-b7ce-43e4760888da is ACTIVE: /);
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

  it('maps a plain-text Glance 404 to NotFound with status and reason only, never the page', async () => {
    replay().server.override('GET', '/image/v2/images', {
      status: 404,
      text: '<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>The resource could not be found.<br /><br /></body></html>',
      headers: { 'content-type': 'text/html; charset=UTF-8' },
    });
    const err = await failure(replay().driver.listImages());
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toBe('OpenStack image GET /v2/images failed (404 Not Found)');
  });

  it('never echoes what answers at the Keystone URL unless it is a documented error shape', async () => {
    replay().server.override('POST', '/identity/v3/auth/tokens', { status: 502, text: 'upstream intranet page: db password hunter2' }, { times: 1 });
    const err = await failure(replay().makeDriver().validateCredentials());
    expect(err.message).toBe('OpenStack identity POST /v3/auth/tokens failed (502 Bad Gateway)');
    replay().server.override('POST', '/identity/v3/auth/tokens', { status: 400, json: { error: { code: 400, title: 'Bad Request', message: `a\n${'y'.repeat(4000)}` } } }, { times: 1 });
    const long = await failure(replay().makeDriver().validateCredentials());
    expect(long.message).toMatch(/^OpenStack identity POST \/v3\/auth\/tokens failed \(400 Bad Request\): a y+…$/);
    expect(long.message.length).toBeLessThan(400);
  });

  it('follows no redirect: neither the password nor a token goes to the address it names', async () => {
    const elsewhere = await ReplayServer.start();
    try {
      for (const status of [302, 307, 308]) {
        replay().server.override('POST', '/identity/v3/auth/tokens', { status, headers: { location: `${elsewhere.url}/identity/v3/auth/tokens` } }, { times: 1 });
        const err = await failure(replay().makeDriver().validateCredentials());
        expect(err).toMatchObject({ code: 'provider_error', status });
        expect(err.message).toMatch(/redirects are not followed$/);
        replay().server.override('GET', `${COMPUTE}/flavors/detail`, { status, headers: { location: `${elsewhere.url}${COMPUTE}/flavors/detail` } }, { times: 1 });
        expect((await failure(replay().driver.listSizes())).message).toMatch(new RegExp(`failed \\(${status} .*\\): redirects are not followed$`));
      }
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it('stops reading a response past 16 MiB, or one that declares more, with a ResponseTooLargeError', async () => {
    const MiB = 1024 * 1024;
    // Reading 16 MiB takes seconds on a busy machine: this driver waits long enough to get there.
    const patient = replay().makeDriver({ requestTimeoutMs: 60_000 });
    await patient.validateCredentials();
    replay().server.override('GET', `${COMPUTE}/flavors/detail`, { json: { flavors: [] }, stream: { bytes: 256 * MiB } }, { times: 1 });
    const err = await failure(patient.listSizes());
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err).toMatchObject({ providerCode: 'response_too_large', retryable: false });
    expect(err.message).toBe(`OpenStack compute GET /flavors/detail answered with more than ${16 * MiB} bytes; not read`);
    expect(await replay().server.streamed[0]).toBeLessThan(64 * MiB);

    replay().server.override('GET', `${COMPUTE}/flavors/detail`, { json: {}, stream: { bytes: 1024 * MiB, declareLength: true } }, { times: 1 });
    expect(await failure(replay().driver.listSizes())).toBeInstanceOf(ResponseTooLargeError);
  }, 120_000);

  it('sends the token only to http(s) catalog endpoints', async () => {
    const token = replay().server.fixture<{ token: { catalog: { type: string; endpoints: { url: string }[] }[] } }>('token-password.json');
    const compute = token.token.catalog.find((c) => c.type === 'compute')!;
    for (const e of compute.endpoints) e.url = 'file:///etc/passwd';
    replay().server.override('POST', '/identity/v3/auth/tokens', (req, next) => next().then((r) => ({ ...r, json: { ...(r.json as object), token: { ...(r.json as typeof token).token, catalog: token.token.catalog } } })));
    const err = await failure(replay().makeDriver().listSizes());
    expect(err.message).toMatch(/endpoint is not an http\(s\) URL/);
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
