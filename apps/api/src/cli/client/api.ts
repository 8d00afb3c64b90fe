import { OvermindApiError, createOvermindClient, type OvermindClient } from '@overmind/sdk';
import { CliFailure } from '../failures.js';
import { currentSettings } from './settings.js';

export interface Connection {
  client: OvermindClient;
  url: string;
  token: string;
}

/** The SDK client for the API `overmind login` chose (or OVERMIND_URL / OVERMIND_TOKEN). */
export async function connect(): Promise<Connection> {
  const { url, token } = await currentSettings();
  if (!url || !token) throw new CliFailure('not logged in: run `overmind login URL` (or set OVERMIND_URL and OVERMIND_TOKEN)');
  return { client: createOvermindClient({ baseUrl: url, token }), url, token };
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/** An openapi-fetch result's data, or its problem as OvermindApiError (what the SDK's own methods do). */
export async function call<T>(pending: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw OvermindApiError.from(response, error);
  return data as T;
}

/** The API's problem as one or a few lines: its message, the invalid fields, and the request id to quote. */
export function describeApiError(err: OvermindApiError): string {
  const fields = err.errors.map((e) => `\n  ${e.field}: ${e.message}`).join('');
  return `${err.detail} (HTTP ${err.status}${err.requestId ? `, request id ${err.requestId}` : ''})${fields}`;
}

/** fetch's own failures ("fetch failed") say nothing; their cause names what went wrong. */
export function describeNetworkError(err: Error): string | undefined {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (err.name === 'TypeError' && err.message === 'fetch failed') return `cannot reach the API: ${cause?.message ?? cause?.code ?? 'network error'}`;
  return undefined;
}
