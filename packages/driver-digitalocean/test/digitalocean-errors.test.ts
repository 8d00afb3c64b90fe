import { describe, expect, it } from 'vitest';
import { ReplayServer, rejectionOf, useReplay } from '@overmind/testkit';
import {
  InvalidCredentialsError,
  NotFoundError,
  ProviderError,
  ResponseTooLargeError,
  TransientError,
  type ProviderErrorCode,
} from '@overmind/provider';
import { digitaloceanPlugin } from '../src/index.js';
import { TOKEN, startDoReplay } from './do-replay.js';

const replay = useReplay(() => startDoReplay());

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await rejectionOf(promise);
  expect(err).toBeInstanceOf(ProviderError);
  expect((err as Error).message).not.toContain(TOKEN);
  return err as ProviderError;
}

describe('digitalocean errors', () => {
  it.each([
    ['401', InvalidCredentialsError, 'invalid_credentials', 'Unable to authenticate you', 'Unauthorized'],
    ['403', InvalidCredentialsError, 'invalid_credentials', 'You are not authorized to perform this operation', 'Forbidden'],
    ['404', NotFoundError, 'not_found', 'could not be found', 'not_found'],
    ['500', TransientError, 'transient', 'Unexpected server-side error', 'server_error'],
  ] as const)('maps a %s to %o with the provider message', async (scenario, type, code: ProviderErrorCode, message, providerCode) => {
    replay().server.scenario = scenario;
    const err = await failure(replay().driver.listSizes());
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ code, status: Number(scenario), providerCode });
    expect(err.message).toContain(message);
  });

  it('maps a 429 to a TransientError that waits as long as Retry-After says', async () => {
    replay().server.scenario = '429';
    const err = await failure(replay().driver.listNodes());
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 7000, status: 429, providerCode: 'too_many_requests' });
    expect(replay().driver.client.rateLimit?.remaining).toBe(0);
  });

  it('falls back to ratelimit-reset when a 429 has no Retry-After', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 30;
    replay().server.override('GET', '/v2/sizes', { status: 429, headers: { 'ratelimit-reset': String(reset) }, json: {} });
    const err = (await failure(replay().driver.listSizes())) as TransientError;
    expect(err.retryAfterMs).toBeGreaterThan(25_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(31_000);
  });

  it('reports a malformed JSON body as a ProviderError, not a crash', async () => {
    replay().server.scenario = 'malformed';
    const err = await failure(replay().driver.listNodes());
    expect(err.constructor).toBe(ProviderError);
    expect(err.message).toMatch(/malformed JSON/);
  });

  it('reports a body without the expected list as a ProviderError', async () => {
    replay().server.override('GET', '/v2/regions', { json: { regions: 'nope' } });
    expect((await failure(replay().driver.listLocations())).message).toMatch(/without a "regions" list/);
  });

  it('reports a 422 with the provider message and no retry', async () => {
    replay().server.override('POST', '/v2/droplets', { status: 422, json: replay().server.fixture<Record<string, unknown>>('errors.json')['422'] });
    const err = await failure(
      replay().driver.createNode({ name: 'bad name!', imageId: 'x', sizeId: 'y', locationId: 'nyc3', idempotencyKey: 'k' }),
    );
    expect(err).toMatchObject({ code: 'provider_error', retryable: false, status: 422 });
    expect(err.message).toContain('Only valid hostname characters are allowed');
  });

  it('maps a 404 from an action to NotFound', async () => {
    replay().server.override('POST', '/v2/droplets/:id/actions', '404');
    await expect(replay().driver.rebootNode('42')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('turns a slow answer past the request timeout into a TransientError', async () => {
    const fast = await startDoReplay({ requestTimeoutMs: 100 });
    try {
      fast.server.scenario = 'slow';
      const err = await failure(fast.driver.listSizes());
      expect(err).toBeInstanceOf(TransientError);
      expect(err.message).toMatch(/timed out after 100 ms/);
    } finally {
      await fast.server.close();
    }
  });

  it('turns a refused connection into a TransientError', async () => {
    const url = replay().server.url;
    await replay().server.close();
    const driver = digitaloceanPlugin.createDriver({ providerId: 'x', credentials: { token: TOKEN }, settings: { apiUrl: url } });
    const err = await failure(driver.validateCredentials());
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toMatch(/could not reach the API \(ECONNREFUSED\)/);
  });

  it('passes the caller abort through instead of calling it transient', async () => {
    replay().server.scenario = 'slow';
    const controller = new AbortController();
    const pending = replay().driver.listSizes({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user cancelled')), 20);
    await expect(pending).rejects.toThrow('user cancelled');
  });

  it('never echoes a body that is not DigitalOcean\'s error shape: status and reason only', async () => {
    const page = '<html><body><h1>Intranet</h1>db password: hunter2</body></html>';
    for (const status of [404, 500, 502]) {
      replay().server.override('GET', '/v2/sizes', { status, text: page, headers: { 'content-type': 'text/html' } }, { times: 1 });
      const err = await failure(replay().driver.listSizes());
      expect(err.message).toMatch(new RegExp(`^DigitalOcean GET /v2/sizes failed \\(${status} [A-Z][A-Za-z ]+\\)$`));
      expect(err.message).not.toMatch(/Intranet|hunter2|html/);
    }
    // JSON without the documented { id, message } shape says nothing either.
    replay().server.override('GET', '/v2/sizes', { status: 400, json: { detail: 'internal stack trace' } }, { times: 1 });
    expect((await failure(replay().driver.listSizes())).message).toBe('DigitalOcean GET /v2/sizes failed (400 Bad Request)');
  });

  it('keeps the provider\'s own message on one bounded line', async () => {
    replay().server.override('GET', '/v2/sizes', { status: 422, json: { id: 'unprocessable_entity', message: `first\nsecond\u0007 ${'x'.repeat(5000)}` } });
    const err = await failure(replay().driver.listSizes());
    expect(err.message).toMatch(/^DigitalOcean GET \/v2\/sizes failed \(422 Unprocessable Entity\): first second x+…$/);
    expect(err.message.length).toBeLessThan(400);
  });

  it('follows no redirect: the token never goes to the address it names', async () => {
    const elsewhere = await ReplayServer.start();
    try {
      elsewhere.route('GET', '/v2/sizes', { json: { sizes: [], links: {}, meta: { total: 0 } } });
      for (const status of [301, 302, 307, 308]) {
        replay().server.override('GET', '/v2/sizes', { status, headers: { location: `${elsewhere.url}/v2/sizes` } }, { times: 1 });
        const err = await failure(replay().driver.listSizes());
        expect(err).toMatchObject({ code: 'provider_error', status, retryable: false });
        expect(err.message).toMatch(new RegExp(`failed \\(${status} .*\\): redirects are not followed$`));
      }
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it('stops reading a response past 16 MiB, or one that declares more, with a ResponseTooLargeError', async () => {
    const MiB = 1024 * 1024;
    // Reading 16 MiB takes seconds on a busy machine: this driver waits long enough to get there.
    const big = await startDoReplay({ requestTimeoutMs: 60_000 });
    try {
      big.server.override('GET', '/v2/sizes', { json: { sizes: [], links: {}, meta: { total: 0 } }, stream: { bytes: 256 * MiB } }, { times: 1 });
      const err = await failure(big.driver.listSizes());
      expect(err).toBeInstanceOf(ResponseTooLargeError);
      expect(err).toMatchObject({ providerCode: 'response_too_large', retryable: false });
      expect(err.message).toBe(`DigitalOcean GET /v2/sizes answered with more than ${16 * MiB} bytes; not read`);
      // The driver hung up near the limit, far from the 256 MiB on offer.
      expect(await big.server.streamed[0]).toBeLessThan(64 * MiB);

      // Declared on the headers: refused at once (reading would wait for bytes that never come, then time out).
      replay().server.override('GET', '/v2/sizes', { json: {}, stream: { bytes: 1024 * MiB, declareLength: true } }, { times: 1 });
      expect(await failure(replay().driver.listSizes())).toBeInstanceOf(ResponseTooLargeError);
    } finally {
      await big.server.close();
    }
  }, 120_000);
});
