/**
 * Sends `readings` on a welcomed connection at the interval the server asked for: the first soon
 * after the welcome (so a node shows its figures right after its agent connects), then every
 * interval. Nothing is kept or re-sent while disconnected: a reading is only worth its moment.
 */
import type { ReadingsFeature, ReadingsMessage } from '@overmind/agent-protocol';
import { errorMessage, type AgentLog } from '../agent-log.js';
import { ReadingsCollector } from './readings-collector.js';

/** Delay of the first reading after a welcome: long enough for a meaningful CPU share. */
const FIRST_AFTER_MS = 1000;

export class ReadingsSender {
  readonly #collector = new ReadingsCollector();
  #timer: NodeJS.Timeout | null = null;
  #sampling = false;
  #warned = false;

  constructor(private readonly deps: { send(message: ReadingsMessage): boolean; log: AgentLog }) {}

  /** On welcome: starts sending when the server asked for readings, else stays quiet. */
  start(feature: ReadingsFeature | null): void {
    this.stop();
    if (!feature) return;
    const { intervalSeconds } = feature;
    // The baseline for the first reading's CPU share and network rates.
    void this.#collector.sample(intervalSeconds).catch(() => {});
    this.#timer = setTimeout(() => {
      void this.#send(intervalSeconds);
      this.#timer = setInterval(() => void this.#send(intervalSeconds), intervalSeconds * 1000);
    }, Math.min(FIRST_AFTER_MS, intervalSeconds * 1000));
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #send(intervalSeconds: number): Promise<void> {
    if (this.#sampling) return;
    this.#sampling = true;
    try {
      const reading = await this.#collector.sample(intervalSeconds);
      if (this.#timer) this.deps.send(reading);
      this.#warned = false;
    } catch (err) {
      if (!this.#warned) this.deps.log.warn(`readings: ${errorMessage(err)}`);
      this.#warned = true;
    } finally {
      this.#sampling = false;
    }
  }
}
