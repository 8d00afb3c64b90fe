import type { ReplayHandler, Responder } from './replay-types.js';

/** Names of the scenarios every replay server knows; drivers may redefine them with provider-shaped bodies. */
export const BUILTIN_SCENARIOS = ['401', '403', '404', '429', '500', 'malformed', 'slow'] as const;

export type BuiltinScenario = (typeof BUILTIN_SCENARIOS)[number];

/** Answers like `next` would, but only after `ms` milliseconds. */
export function slow(ms: number): ReplayHandler {
  return async (_request, next) => ({ ...(await next()), delayMs: ms });
}

/** A 200 whose body claims to be JSON but is cut off mid-object. */
export const MALFORMED_JSON = { status: 200, headers: { 'content-type': 'application/json' }, text: '{"data": [{"id": ' };

export function builtinScenarios(slowMs: number): Map<string, Responder> {
  return new Map<string, Responder>([
    ['401', { status: 401, json: { message: 'Unauthorized' } }],
    ['403', { status: 403, json: { message: 'Forbidden' } }],
    ['404', { status: 404, json: { message: 'Not Found' } }],
    ['429', { status: 429, headers: { 'retry-after': '7' }, json: { message: 'Too Many Requests' } }],
    ['500', { status: 500, json: { message: 'Internal Server Error' } }],
    ['malformed', MALFORMED_JSON],
    ['slow', slow(slowMs)],
  ]);
}
