import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ worker: false });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const HOUR = 3_600_000;

/** A job row as if it had run: created `createdAgo` ms ago, finished `finishedAgo` ms ago in `state`. */
async function jobRow(state: string, createdAgo: number, finishedAgo: number | null) {
  const now = Date.now();
  await t.app.db.query(
    `INSERT INTO jobs (id, type, target_type, target_id, state, progress, attempts, max_attempts, payload, created_at, finished_at)
     VALUES ($1, 'noop', 'node', $2, $3, 0, 1, 1, '{}', $4, $5)`,
    [randomUUID(), randomUUID(), state, new Date(now - createdAgo), finishedAgo === null ? null : new Date(now - finishedAgo)],
  );
}

describe('GET /api/v1/jobs/stats', () => {
  it('counts jobs started and finished (by outcome) per hour, every hour present, oldest first', async () => {
    const hourStart = Math.floor(Date.now() / HOUR) * HOUR;
    const intoHour = Date.now() - hourStart;
    // Two hours back: started then, one failed and one succeeded an hour later; this hour: one started and cancelled, one running.
    await jobRow('failed', intoHour + 2 * HOUR - 60_000, intoHour + HOUR - 60_000);
    await jobRow('succeeded', intoHour + 2 * HOUR - 120_000, intoHour + HOUR - 120_000);
    await jobRow('cancelled', Math.min(intoHour, 1_000), 0);
    await jobRow('running', Math.min(intoHour, 1_000), null);
    // Older than the window: not counted.
    await jobRow('failed', 30 * HOUR, 29 * HOUR);

    const res = await t.request('observer', { method: 'GET', url: '/api/v1/jobs/stats?hours=3' });
    expect(res.statusCode, res.body).toBe(200);
    const { hours } = res.json() as { hours: { at: string; started: number; succeeded: number; failed: number; cancelled: number }[] };
    expect(hours.map((h) => Date.parse(h.at))).toEqual([hourStart - 2 * HOUR, hourStart - HOUR, hourStart]);
    expect(hours.map(({ started, succeeded, failed, cancelled }) => ({ started, succeeded, failed, cancelled }))).toEqual([
      { started: 2, succeeded: 0, failed: 0, cancelled: 0 },
      { started: 0, succeeded: 1, failed: 1, cancelled: 0 },
      { started: 2, succeeded: 0, failed: 0, cancelled: 1 },
    ]);

    const day = (await t.request('observer', { method: 'GET', url: '/api/v1/jobs/stats' })).json() as { hours: unknown[] };
    expect(day.hours).toHaveLength(24);
  });

  it('refuses a window it does not keep, saying which', async () => {
    for (const hours of ['0', '169', 'many']) {
      const res = await t.request('observer', { method: 'GET', url: `/api/v1/jobs/stats?hours=${hours}` });
      expect(res.statusCode, hours).toBe(400);
      expect(res.json().detail).toMatch(/hours/);
    }
  });
});
