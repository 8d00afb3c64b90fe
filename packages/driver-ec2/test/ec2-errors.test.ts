import { afterEach, describe, expect, it } from 'vitest';
import {
  InvalidCredentialsError,
  NotFoundError,
  ProviderError,
  TransientError,
  type ProviderDriver,
} from '@overmind/provider';
import { ec2Plugin, type Ec2Settings } from '../src/index.js';
import type { Scenario } from './support/ec2-fake-server.js';
import { errorXml } from './support/ec2-fixtures.js';
import { CREDENTIALS, startHarness, type Harness } from './support/ec2-harness.js';

let h: Harness;
afterEach(() => h.close());

async function failWith(scenario: Scenario, call: (d: ProviderDriver) => Promise<unknown>, settings: Ec2Settings = {}) {
  h = await startHarness(settings);
  h.fake.scenario = scenario;
  const err = await call(h.driver).then(
    () => expect.unreachable('the call should have failed'),
    (e: unknown) => e,
  );
  return err as ProviderError;
}

describe('error translation', () => {
  it('401 AuthFailure -> InvalidCredentialsError with AWS message, and no SDK retry', async () => {
    const err = await failWith('auth-failure', (d) => d.validateCredentials());
    expect(err).toBeInstanceOf(InvalidCredentialsError);
    expect(err).toMatchObject({ code: 'invalid_credentials', providerCode: 'AuthFailure', status: 401, retryable: false });
    expect(err.message).toContain('AWS was not able to validate the provided access credentials');
    expect(h.fake.requests).toHaveLength(1);
  });

  it('403 UnauthorizedOperation -> InvalidCredentialsError naming the missing permission', async () => {
    const err = await failWith('unauthorized', (d) => d.listNodes!());
    expect(err).toBeInstanceOf(InvalidCredentialsError);
    expect(err).toMatchObject({ providerCode: 'UnauthorizedOperation', status: 403 });
    expect(err.message).toContain('ec2:DescribeInstances');
  });

  it('*.NotFound -> NotFoundError', async () => {
    h = await startHarness();
    h.fake.on('RebootInstances', { status: 400, body: errorXml('InvalidInstanceID.NotFound', "The instance ID 'i-1' does not exist") });
    const err = await h.driver.rebootNode!('i-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ providerCode: 'InvalidInstanceID.NotFound' });
  });

  it('503 RequestLimitExceeded -> TransientError carrying Retry-After, sent once', async () => {
    const err = await failWith('throttled', (d) => d.listSizes!());
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ providerCode: 'RequestLimitExceeded', status: 503, retryable: true, retryAfterMs: 7000 });
    expect(h.fake.requests).toHaveLength(1);
  });

  it('400 RequestLimitExceeded (as EC2 usually sends it) is still transient', async () => {
    h = await startHarness();
    h.fake.on('StopInstances', { status: 400, body: errorXml('RequestLimitExceeded', 'Request limit exceeded.') });
    const err = await h.driver.stopNode!('i-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).retryAfterMs).toBeUndefined();
  });

  it('500 InternalError -> TransientError', async () => {
    const err = await failWith('internal-error', (d) => d.createNode!({ name: 'a', imageId: 'ami-1', sizeId: 't3.micro', locationId: 'eu-west-1a', idempotencyKey: 'k' }));
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ providerCode: 'InternalError', status: 500 });
  });

  it('malformed XML -> ProviderError, never a crash', async () => {
    const err = await failWith('malformed', (d) => d.listNodes!());
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).not.toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ providerCode: 'MalformedResponse', status: 200 });
    expect(err.message).toMatch(/DescribeInstances returned a response that could not be read/);
  });

  it('an HTML error page from a proxy with 502 is transient', async () => {
    h = await startHarness();
    h.fake.on('DescribeInstances', { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1>' });
    const err = await h.driver.listNodes!().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ status: 502 });
  });

  it('an unanswered request -> TransientError after the configured timeout', async () => {
    const started = Date.now();
    const err = await failWith('hang', (d) => d.listLocations!(), { requestTimeoutMs: 300 });
    expect(err).toBeInstanceOf(TransientError);
    // Its own 300 ms, not a hang, with room for a busy machine.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('other client errors stay plain ProviderErrors with the AWS code', async () => {
    h = await startHarness();
    h.fake.on('RunInstances', { status: 400, body: errorXml('InvalidParameterValue', "Value (t9.huge) for parameter instanceType is invalid.") });
    const err = await h.driver.createNode!({ name: 'a', imageId: 'ami-1', sizeId: 't9.huge', locationId: 'eu-west-1a', idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).not.toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ providerCode: 'InvalidParameterValue', status: 400 });
  });

  it('a refused connection is transient', async () => {
    h = await startHarness();
    const endpoint = h.fake.url;
    await h.fake.close();
    const driver = ec2Plugin.createDriver({ providerId: 'p', credentials: CREDENTIALS, settings: { endpoint } });
    const err = await driver.listNodes!().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    h = { ...h, close: async () => driver.close?.() };
  });

  it('an aborted call rejects with the abort, not a provider error', async () => {
    h = await startHarness();
    h.fake.scenario = 'hang';
    const controller = new AbortController();
    const pending = h.driver.listNodes!({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await pending.catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AbortError' });
    expect(err).not.toBeInstanceOf(ProviderError);
  });
});
