import { EC2Client } from '@aws-sdk/client-ec2';
import {
  InvalidCredentialsError,
  NotFoundError,
  ProviderError,
  TransientError,
  parseRetryAfter,
  remoteMessage,
  type OperationContext,
} from '@overmind/provider';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';

export interface Ec2Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Only for temporary (STS) credentials. */
  sessionToken?: string;
}

export interface Ec2Settings {
  /** AWS region, e.g. `eu-west-1`. */
  region?: string;
  /** Overrides the regional endpoint (VPC endpoint, EC2-compatible cloud, tests). */
  endpoint?: string;
  /** Overrides the regional Elastic Load Balancing endpoint (VPC endpoint, tests). */
  elbEndpoint?: string;
  /** Image owners listImages shows: account ids, `self`, `amazon`, `aws-marketplace`. */
  imageOwners?: string[];
  /** EC2 `name` filter (wildcards allowed) applied to listImages. */
  imageNameFilter?: string;
  /** Per-request timeout in milliseconds. */
  requestTimeoutMs?: number;
}

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Options for an AWS SDK client from explicit settings only. Every value the SDK would otherwise look
 * up in the environment or shared config files is given here, so two providers never leak into each
 * other. Shared by the EC2 and ELBv2 clients.
 */
export function sdkClientOptions(credentials: Ec2Credentials, settings: Ec2Settings, endpoint: string | undefined) {
  return {
    region: settings.region ?? DEFAULT_REGION,
    ...(endpoint ? { endpoint } : {}),
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    // One attempt: Overmind's job queue owns retries and backoff, using TransientError.retryAfterMs.
    maxAttempts: 1,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: 5_000,
      requestTimeout: settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  };
}

export function createEc2Client(credentials: Ec2Credentials, settings: Ec2Settings): EC2Client {
  return new EC2Client(sdkClientOptions(credentials, settings, settings.endpoint));
}

/** Codes EC2 uses for bad or insufficient credentials (AuthFailure 401, UnauthorizedOperation 403...). */
const CREDENTIAL_CODES = new Set([
  'AuthFailure',
  'UnauthorizedOperation',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'MissingAuthenticationToken',
  'OptInRequired',
  'Blocked',
]);

/** Provider-side trouble that clears up on its own; EC2 sends some of these as 4xx. */
const TRANSIENT_CODES = new Set(['InternalError', 'Unavailable', 'ServiceUnavailable', 'InsufficientInstanceCapacity']);

interface SdkErrorShape {
  name?: string;
  message?: string;
  /** Set on every error EC2 itself answered with; absent when the SDK failed to read the answer. */
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** Turns whatever the SDK threw into the contract's typed errors. Aborts pass through untouched. */
export function translateEc2Error(err: unknown, action: string, service = 'EC2'): unknown {
  if (err instanceof ProviderError || isAbort(err)) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorShape;
  // The wire code where the SDK kept it (ELBv2's `LoadBalancerNotFound`; its class is named `...Exception`).
  const wire = (err as { Code?: unknown } | null)?.Code;
  const code = typeof wire === 'string' && wire !== '' ? wire : (e.name ?? 'Error');
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const base = { cause: err, providerCode: code.slice(0, 100), ...(status === undefined ? {} : { status }) };
  // EC2's <Message> (or the SDK's own), one bounded line: the endpoint is a user setting.
  const awsMessage = remoteMessage(e.message ?? String(err)) ?? code;

  // A response but no $fault: the SDK got an answer it could not read (bad XML, an HTML error page).
  if (e.$fault === undefined && e.$response !== undefined) {
    const message = `${service} ${action} returned a response that could not be read (HTTP ${status ?? '?'})`;
    return status !== undefined && status >= 500
      ? new TransientError(message, { ...base, providerCode: 'MalformedResponse' })
      : new ProviderError(message, { ...base, providerCode: 'MalformedResponse' });
  }
  if (CREDENTIAL_CODES.has(code) || status === 401 || status === 403) {
    return new InvalidCredentialsError(`${service} ${action}: ${awsMessage}`, base);
  }
  if (code.endsWith('NotFound') || status === 404) {
    return new NotFoundError(`${service} ${action}: ${awsMessage}`, base);
  }
  const shaped = err as Parameters<typeof isTransientError>[0];
  if (TRANSIENT_CODES.has(code) || (status !== undefined && status >= 500) || isThrottlingError(shaped) || isTransientError(shaped)) {
    const retryAfterMs = parseRetryAfter(headerValue(e, 'retry-after'));
    return new TransientError(`${service} ${action}: ${awsMessage}`, {
      ...base,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  return new ProviderError(`${service} ${action}: ${awsMessage}`, base);
}

function headerValue(e: SdkErrorShape, name: string): string | undefined {
  const headers = e.$response?.headers ?? {};
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** The SDK's send options for one call: the caller's abort signal, when there is one. */
export function sendOptions(ctx?: OperationContext): { abortSignal?: AbortSignal } {
  return ctx?.signal ? { abortSignal: ctx.signal } : {};
}

/** Runs one EC2 call (or a paginated loop) and translates any failure. */
export async function ec2Call<T>(action: string, run: () => Promise<T>, service = 'EC2'): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw translateEc2Error(err, action, service);
  }
}

/** Drains a paginator, following NextToken to the last page, and translates any failure. */
export function collectPages<P, T>(
  action: string,
  pages: AsyncIterable<P>,
  pick: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  return ec2Call(action, async () => {
    const items: T[] = [];
    for await (const page of pages) items.push(...(pick(page) ?? []));
    return items;
  });
}
