import type { Role } from '@overmind/sdk';
import { vi } from 'vitest';
import { overmind } from '../src/api/overmind-client.js';
import { sessionStore } from '../src/api/session-store.js';

export interface FakeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path with its parameters filled in, e.g. `/api/v1/nodes/n1`. */
  path: string;
  query: Record<string, unknown>;
  /** The request's `params.header` (e.g. `idempotency-key`). */
  headers: Record<string, string>;
  body: unknown;
}
export type FakeAnswer = { status: number; body?: unknown; requestId?: string };

/**
 * Answers every SDK request (convenience methods go through `raw` too) from a handler, the way
 * openapi-fetch would: `data` for 2xx, `error` otherwise, and the response with its x-request-id.
 * A handler may answer later (a promise): a request still in flight.
 */
export function fakeApi(handler: (req: FakeRequest) => FakeAnswer | Promise<FakeAnswer>): FakeRequest[] {
  const seen: FakeRequest[] = [];
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
    const fake = async (
      template: string,
      init?: { params?: { path?: Record<string, string>; query?: Record<string, unknown>; header?: Record<string, string> }; body?: unknown },
    ) => {
      const path = template.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(init?.params?.path?.[key] ?? ''));
      const req: FakeRequest = { method, path, query: init?.params?.query ?? {}, headers: init?.params?.header ?? {}, body: init?.body };
      seen.push(req);
      const answer = await handler(req);
      const ok = answer.status >= 200 && answer.status < 300;
      const response = new Response(null, { status: answer.status, headers: { 'x-request-id': answer.requestId ?? `req-${seen.length}` } });
      return ok ? { data: answer.body, response } : { error: answer.body, response };
    };
    vi.spyOn(overmind.raw, method).mockImplementation(fake as never);
  }
  return seen;
}

export const problem = (status: number, detail: string, requestId: string, errors: { field: string; message: string }[] = []): FakeAnswer => ({
  status,
  requestId,
  body: { type: 'about:blank', title: 'Problem', status, detail, requestId, errors },
});

export const signIn = (role: Role) => sessionStore.set({ token: 't', user: { id: 'u1', username: role, role } });
