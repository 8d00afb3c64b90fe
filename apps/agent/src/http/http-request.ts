/**
 * The agent's few HTTP requests (enrolment, kitchen downloads) over node:http(s), which, unlike the
 * global fetch, takes a private CA. Failures become one readable line: status, the API's problem
 * detail and its request id.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpOptions {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** PEM of a private CA; replaces the system's. */
  ca?: Buffer;
  signal?: AbortSignal;
  /** Until the response headers arrive. */
  timeoutMs?: number;
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Sends a request to `baseUrl + path`; resolves with the response whatever its status (read or drain its body). */
export function sendRequest(baseUrl: string, path: string, options: HttpOptions): Promise<IncomingMessage> {
  const url = new URL(`${baseUrl}${path}`);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: options.method,
      headers: { accept: 'application/json', ...options.headers, ...(options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) }) },
      ...(options.ca ? { ca: options.ca } : {}),
      signal: options.signal,
      timeout: options.timeoutMs ?? 30_000,
    });
    req.on('timeout', () => req.destroy(new HttpError(`no answer from ${url.origin} within ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s`, null)));
    req.on('error', (err) => reject(err instanceof HttpError ? err : new HttpError(`cannot reach ${url.origin}: ${describeNetworkError(err)}`, null)));
    req.on('response', (res) => {
      req.setTimeout(0);
      resolve(res);
    });
    req.end(options.body);
  });
}

function describeNetworkError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
}

/** The body as text, at most `maxBytes` (the rest is dropped). */
export async function readBody(res: IncomingMessage, maxBytes = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    if (size < maxBytes) chunks.push(chunk.subarray(0, maxBytes - size));
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `HTTP 401 Unauthorized: <detail> (request id <id>)` from an error answer, problem+json or not. */
export async function describeFailure(res: IncomingMessage): Promise<string> {
  const text = await readBody(res, 16 * 1024).catch(() => '');
  let problem: { title?: unknown; detail?: unknown; requestId?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') problem = parsed as typeof problem;
  } catch {
    // not JSON: the status line says enough
  }
  const header = res.headers['x-request-id'];
  const requestId = typeof problem.requestId === 'string' ? problem.requestId : typeof header === 'string' ? header : null;
  const title = typeof problem.title === 'string' ? problem.title : (res.statusMessage ?? '');
  const detail = typeof problem.detail === 'string' && problem.detail !== title ? problem.detail : null;
  const line = `HTTP ${res.statusCode}${title ? ` ${title}` : ''}${detail ? `: ${detail}` : ''}${requestId ? ` (request id ${requestId})` : ''}`;
  return line.replace(/[\r\n]+/g, ' ').slice(0, 1000);
}
