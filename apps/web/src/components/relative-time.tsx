import { useSyncExternalStore } from 'react';
import { LazyTooltip } from './lazy-tooltip.js';

const FORMAT = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [['day', 86_400], ['hour', 3_600], ['minute', 60]];

/**
 * `3 minutes ago`, `in 2 hours`: rounded in the largest unit that fits. Under a minute either way is `just now`, so a
 * server clock a little ahead of this one (or a clock up to one tick old) never reads as the future.
 */
export function relativeTime(iso: string, now: number): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  if (Number.isNaN(seconds)) return '—';
  if (Math.abs(seconds) < 60) return 'just now';
  const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s)!;
  return FORMAT.format(Math.round(seconds / size), unit);
}

// One clock for every relative time on screen, ticking only while one is shown.
const TICK_MS = 30_000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;
function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
const useNow = () => useSyncExternalStore(subscribe, () => now);

const EXACT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/**
 * A time as "5 minutes ago", kept current while shown; the exact time in a tooltip on hover, and in
 * `title`/`dateTime`. The tooltip is made the first time it is wanted (a page of 50 rows shows 50 times, and 50
 * tooltips ready in advance were a tenth of the node list's first render).
 */
export function RelativeTime({ at }: { at: string | null | undefined }) {
  const now = useNow();
  if (!at) return <span>—</span>;
  const exact = Number.isNaN(Date.parse(at)) ? at : EXACT.format(new Date(at));
  return (
    <LazyTooltip label={exact}>
      <time dateTime={at} title={exact} className="relative-time">{relativeTime(at, now)}</time>
    </LazyTooltip>
  );
}
