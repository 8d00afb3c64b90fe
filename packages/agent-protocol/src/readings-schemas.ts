/**
 * The `readings` message (agent -> server): a node's vital signs at one moment, sent every
 * `intervalSeconds` when the server asked for them in `welcome.features.readings` and the agent
 * announced the capability `readings` in its hello. Every array and string is bounded, so one message
 * stays small (a few KiB) whatever the node has mounted.
 */
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

/** Capability (hello) and feature (welcome) name. */
export const READINGS = 'readings';

export const MAX_READING_FILESYSTEMS = 64;
export const MAX_READING_INTERFACES = 64;

const Percent = Type.Number({ minimum: 0, maximum: 100 });
const Bytes = Type.Number({ minimum: 0 });
const Rate = Type.Union([Type.Number({ minimum: 0 }), Type.Null()]);

/** `welcome.features.readings`: how often the server wants them. */
export const ReadingsFeature = Type.Object({ intervalSeconds: Type.Integer({ minimum: 1, maximum: 3600 }) });
export type ReadingsFeature = Static<typeof ReadingsFeature>;

const readingsFeature = Compile(ReadingsFeature);

/** What the server asked for in `welcome.features.readings`, or null when it did not ask (or asked something this agent does not understand). */
export function parseReadingsFeature(features: Record<string, unknown>): ReadingsFeature | null {
  const value = features[READINGS];
  return readingsFeature.Check(value) ? { intervalSeconds: value.intervalSeconds } : null;
}

/** Share of CPU time in each state since the previous sample, over all CPUs (percent; `total` is 100 minus idle and iowait). */
export const CpuReading = Type.Object({
  count: Type.Integer({ minimum: 1, maximum: 65536 }),
  total: Percent,
  user: Percent,
  nice: Percent,
  system: Percent,
  idle: Percent,
  iowait: Percent,
  irq: Percent,
  softirq: Percent,
  steal: Percent,
});

export const FilesystemReading = Type.Object({
  mount: Type.String({ minLength: 1, maxLength: 512 }),
  device: Type.String({ maxLength: 512 }),
  fstype: Type.String({ maxLength: 64 }),
  /** Bytes: the whole filesystem, used, and available to unprivileged users (as df(1) shows them). */
  size: Bytes,
  used: Bytes,
  avail: Bytes,
  /** used / (used + avail), as df(1) computes Use%. */
  usedPct: Percent,
  inodes: Bytes,
  inodesUsed: Bytes,
});

export const NetworkReading = Type.Object({
  iface: Type.String({ minLength: 1, maxLength: 64 }),
  /** Counters since boot, as /proc/net/dev has them. */
  rxBytes: Bytes,
  txBytes: Bytes,
  /** Bytes per second since the previous sample; null on the first. */
  rxBps: Rate,
  txBps: Rate,
});

export const Readings = Type.Object({
  type: Type.Literal('readings'),
  /** When the agent sampled (its clock). */
  at: Type.String({ format: 'date-time' }),
  intervalSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
  /** Null when there is no previous sample to compare with yet. */
  cpu: Type.Union([CpuReading, Type.Null()]),
  /** 1, 5 and 15 minute load averages. */
  load: Type.Tuple([Type.Number({ minimum: 0 }), Type.Number({ minimum: 0 }), Type.Number({ minimum: 0 })]),
  /** Bytes. `used` is total minus available (what free(1) calls used since procps 4). */
  memory: Type.Object({ total: Bytes, used: Bytes, available: Bytes, free: Bytes, buffers: Bytes, cached: Bytes, usedPct: Percent }),
  swap: Type.Object({ total: Bytes, used: Bytes }),
  filesystems: Type.Array(FilesystemReading, { maxItems: MAX_READING_FILESYSTEMS }),
  network: Type.Array(NetworkReading, { maxItems: MAX_READING_INTERFACES }),
  uptimeSeconds: Type.Number({ minimum: 0 }),
});
export type ReadingsMessage = Static<typeof Readings>;
