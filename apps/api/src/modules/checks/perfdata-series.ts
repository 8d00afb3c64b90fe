/**
 * Check performance data as readings history: each numeric perfdata item of a stored result is a point
 * of the series `check.<checkId>.<label>` (the check's id, which stays when the check is renamed, and
 * the label as the plugin printed it), in the plugin's unit, stamped when the server received it.
 */
import type { PerfDatum } from '@overmind/checks';

export const PERFDATA_SERIES_PREFIX = 'check.';
/** Series names are at most 600 characters (the metrics API's limit); longer labels are left out. */
const MAX_NAME_CHARS = 600;
const CONTROL = /[\u0000-\u001f\u007f]/;

export function perfdataSeriesName(checkId: string, label: string): string {
  return `${PERFDATA_SERIES_PREFIX}${checkId}.${label}`;
}

/** The points of one result: numeric values only (`U` is no point), a label's first item if it repeats. */
export function perfdataPoints(checkId: string, perfdata: readonly PerfDatum[]): [name: string, value: number][] {
  const out = new Map<string, number>();
  for (const p of perfdata) {
    if (p.value === null || !Number.isFinite(p.value) || p.label === '' || CONTROL.test(p.label)) continue;
    const name = perfdataSeriesName(checkId, p.label);
    if (name.length > MAX_NAME_CHARS || out.has(name)) continue;
    out.set(name, p.value);
  }
  return [...out];
}
