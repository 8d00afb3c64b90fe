/**
 * Events published in a transaction leave after its commit (and not at all after a rollback); those
 * published outside one leave at once; many at once go out in order. Through the real LISTEN of the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OvermindEvent } from '../src/modules/events/event-bus.js';
import { createTestApp, eventually, type TestApp } from './support/test-app.js';

let t: TestApp;
const seen: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  t.app.events.subscribe((e) => {
    if (e.type === 'provider') seen.push(e.id);
  });
});
afterAll(() => t?.close());

const event = (id: string): OvermindEvent => ({ type: 'provider', id, status: 'ok', lastSyncAt: null });
const arrived = (id: string) => eventually(async () => (seen.includes(id) ? true : undefined), 10_000, `event ${id}`);

describe('events after commit', () => {
  it('holds a transaction\'s events until it commits', async () => {
    let heldWhileOpen = true;
    await t.app.db.transaction(async (m) => {
      await t.app.events.publish(event('in-tx'), m);
      // A marker published outside the transaction meanwhile arrives; the transaction's event does not.
      await t.app.events.publish(event('marker-1'));
      await arrived('marker-1');
      heldWhileOpen = !seen.includes('in-tx');
    });
    expect(heldWhileOpen).toBe(true);
    await arrived('in-tx');
  });

  it('drops the events of a transaction that rolls back', async () => {
    await expect(t.app.db.transaction(async (m) => {
      await t.app.events.publishMany([event('rolled-back-1'), event('rolled-back-2')], m);
      throw new Error('no');
    })).rejects.toThrow('no');
    await t.app.events.publish(event('marker-2'));
    await arrived('marker-2');
    await t.app.events.settled();
    expect(seen.filter((id) => id.startsWith('rolled-back'))).toEqual([]);
  });

  it('sends many events published together, in order', async () => {
    const ids = Array.from({ length: 1500 }, (_, i) => `many-${i}`);
    await t.app.events.publishMany(ids.map(event));
    await arrived('many-1499');
    expect(seen.filter((id) => id.startsWith('many-'))).toEqual(ids);
  });
});
