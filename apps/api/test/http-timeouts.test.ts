import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, eventually, type TestApp } from './support/test-app.js';

const REQUEST_TIMEOUT_SECONDS = 2;
// Generous: the bound is 2 s plus Node's once-a-second check, on a busy 2-core machine.
const CLOSED_WITHIN_MS = 15_000;

let t: TestApp;
let port: number;

beforeAll(async () => {
  t = await createTestApp({ worker: false, env: { OVERMIND_HTTP_REQUEST_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_SECONDS) } });
  const url = new URL(await t.app.listen({ port: 0, host: '127.0.0.1' }));
  port = Number(url.port);
});
afterAll(() => t?.close());

/**
 * Opens a raw connection, sends `head`, then one more byte of `trickle` every 300 ms (so the
 * connection is never idle) until the server closes it. Resolves with what the server answered and
 * how long the connection lived.
 */
function slowClient(head: string, trickle: string): Promise<{ answer: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let i = 0;
    const drip = setInterval(() => {
      if (trickle && !socket.destroyed && socket.writable) socket.write(trickle[i++ % trickle.length]!);
    }, 300);
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server still held the connection after ${CLOSED_WITHIN_MS} ms`));
    }, CLOSED_WITHIN_MS);
    socket.on('connect', () => head && socket.write(head));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => {}); // a reset after the 408 is a close too
    socket.on('close', () => {
      clearInterval(drip);
      clearTimeout(giveUp);
      resolve({ answer, ms: Date.now() - started });
    });
  });
}

describe('slow clients', () => {
  it('a body that trickles in is cut off with 408 at the request timeout', async () => {
    const head = 'POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"username":"';
    const { answer, ms } = await slowClient(head, 'a');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    // Like every error: problem+json with a request id, and the API's security headers.
    expect(answer).toMatch(/\r\ncontent-type: application\/problem\+json/);
    expect(answer).toMatch(/\r\nx-content-type-options: nosniff\r\n/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 408, requestId: expect.any(String) });
    expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_SECONDS * 1000 - 100);
  }, 30_000);

  it('headers that trickle in, or never come, are cut off too', async () => {
    const slowHeaders = await slowClient('POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', 'abc');
    expect(slowHeaders.answer).toMatch(/^HTTP\/1\.1 408 /);
    const silent = await slowClient('', '');
    expect(silent.ms).toBeLessThan(CLOSED_WITHIN_MS);
  }, 40_000);

  it('does not cut an event stream that outlives the request timeout', async () => {
    const controller = new AbortController();
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/events?access_token=${t.tokens.observer}`, { signal: controller.signal });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let text = '';
      let closed = false;
      void (async () => {
        for (;;) {
          const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
          if (done) return void (closed = true);
          text += new TextDecoder().decode(value);
        }
      })();
      await new Promise((r) => setTimeout(r, (REQUEST_TIMEOUT_SECONDS + 3) * 1000));
      expect(closed).toBe(false);
      // Something happens after the timeout: the stream still delivers it.
      const created = await t.request('operator', { method: 'POST', url: '/api/v1/providers', payload: { name: 'after-timeout', type: 'dummy', credentials: { apiKey: 'k-1' } } });
      expect(created.statusCode).toBe(201);
      await eventually(async () => (text.includes(created.json().id) ? true : undefined), 10_000, 'the provider event on the stream');
    } finally {
      controller.abort();
    }
  }, 40_000);

  it('a request that arrives in time is answered as usual', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    expect(res.status).toBe(200);
  });
});
