import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../src/app.js';
import { lazyRequestLogger } from '../src/lib/lazy-request-logger.js';

/** A Fastify app on a real pino logger writing to an array, with the API's options and its request logger. */
function appLoggingTo(level: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(loggerOptions(level), { write: (line: string) => lines.push(JSON.parse(line)) });
  // Counts every pino child made from this logger or its children (pino's children inherit from their parent).
  let children = 0;
  const child = logger.child;
  logger.child = function (this: typeof logger, ...args: Parameters<typeof child>) {
    children++;
    return child.apply(this, args);
  } as typeof child;
  const app = Fastify({ loggerInstance: logger, genReqId: () => 'req-1', childLoggerFactory: lazyRequestLogger });
  app.get('/quiet', async () => ({ ok: true }));
  app.get('/fails', async (request) => {
    request.log.error({ token: 'secret-value', detail: 'boom' }, 'it failed');
    return { ok: false };
  });
  app.get('/debug', { logLevel: 'debug' }, async (request) => {
    request.log.debug('a debug line');
    return { enabled: request.log.isLevelEnabled('debug'), level: request.log.level };
  });
  app.get('/child', async (request) => {
    request.log.child({ step: 'inner' }).warn('from a child');
    return {};
  });
  return { app, lines, children: () => children };
}

describe('the lazy request logger', () => {
  it('makes no pino child for a request that writes nothing at the level that is on', async () => {
    const { app, lines, children } = appLoggingTo('warn');
    await app.ready();
    const before = children();
    expect((await app.inject('/quiet')).statusCode).toBe(200);
    expect(lines).toEqual([]);
    expect(children()).toBe(before);
  });

  it('writes a line at an enabled level with the request id, redacted as every line is', async () => {
    const { app, lines, children } = appLoggingTo('warn');
    await app.ready();
    const before = children();
    await app.inject('/fails');
    expect(children()).toBe(before + 1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, reqId: 'req-1', msg: 'it failed', token: '[REDACTED]', detail: 'boom' });
  });

  it("logs Fastify's own request lines at info, and follows a route's own level", async () => {
    const { app, lines } = appLoggingTo('info');
    await app.inject('/quiet');
    expect(lines.map((l) => [l.msg, l.reqId])).toEqual([['incoming request', 'req-1'], ['request completed', 'req-1']]);

    lines.length = 0;
    const res = await app.inject('/debug');
    expect(res.json()).toEqual({ enabled: true, level: 'debug' });
    expect(lines.map((l) => l.msg)).toContain('a debug line');
  });

  it('gives a child of the request logger its bindings and the request id', async () => {
    const { app, lines } = appLoggingTo('warn');
    await app.inject('/child');
    expect(lines).toEqual([expect.objectContaining({ level: 40, reqId: 'req-1', step: 'inner', msg: 'from a child' })]);
  });
});
