import { OvermindApiError } from '@overmind/sdk';

type Result<T> = { data?: T; error?: unknown; response: Response };

/** A successful answer with the request id the API stamped on it, for summaries the user can quote. */
export interface Sent<T> {
  data: T;
  requestId: string | undefined;
}

/** Unwraps a `client.raw` call like the SDK's convenience methods do: data, or OvermindApiError. */
export async function send<T>(pending: Promise<Result<T>>): Promise<Sent<T>> {
  const { data, error, response } = await pending;
  if (!response.ok) throw OvermindApiError.from(response, error);
  return { data: data as T, requestId: response.headers.get('x-request-id') ?? undefined };
}

export const call = async <T>(pending: Promise<Result<T>>): Promise<T> => (await send(pending)).data;
