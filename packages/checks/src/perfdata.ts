/**
 * Performance data as the Monitoring Plugins guidelines define it:
 *
 *     'label'=value[UOM];[warn];[crit];[min];[max]
 *
 * space separated; a label in single quotes may hold spaces and `=`, and two single quotes stand for
 * one; warn, crit, min and max may be empty and trailing semicolons dropped; value may be `U` (could
 * not be determined); warn and crit are ranges (`10`, `10:`, `~:10`, `10:20`, `@10:20`), kept as text.
 * Input is what a program printed: nothing here throws, an item that does not parse is set aside.
 */
import { PERFDATA_LIMITS } from './check-limits.js';

export interface PerfDatum {
  label: string;
  /** Null when the plugin printed `U`: the value could not be determined. */
  value: number | null;
  /** As printed: '' (a count), s, ms, us, %, B, KB, MB, TB, c, or whatever else the plugin says. */
  uom: string;
  /** Threshold ranges, as printed (`10`, `~:10`, `@10:20`...); null when empty or absent. */
  warn: string | null;
  crit: string | null;
  min: number | null;
  max: number | null;
}

export interface PerfdataParse {
  items: PerfDatum[];
  /** Items that did not parse (clipped), for the operator to see why a series is missing. */
  invalid: string[];
}

// A decimal in the C locale, optionally with an exponent (some plugins print 1.5e-05).
const NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
// The value, then the unit: anything but digits, separators, signs and dots (%, s, ms, KB, c, MiB...).
const VALUE = new RegExp(String.raw`^(?:(${NUMBER})([^\d\s;.+\-]*)|U)$`);
const BOUND = new RegExp(String.raw`^(${NUMBER})([^\d\s;.+\-]*)$`);
const WHITESPACE = /\s/;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** min and max are plain numbers; some plugins repeat the unit after them, which is allowed when it is the value's. */
function bound(text: string | undefined, uom: string): number | null | undefined {
  if (text === undefined || text.trim() === '') return null;
  const m = BOUND.exec(text.trim());
  if (!m || (m[2] !== '' && m[2] !== uom)) return undefined;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : undefined;
}

function threshold(text: string | undefined): string | null {
  const t = text?.trim() ?? '';
  return t === '' ? null : t.slice(0, PERFDATA_LIMITS.thresholdChars);
}

/** One `value[UOM];warn;crit;min;max` after its label's `=`; undefined when it does not parse. */
export function parsePerfValue(label: string, data: string): PerfDatum | undefined {
  const [first, warn, crit, min, max] = data.split(';');
  const m = VALUE.exec(first ?? '');
  if (!m) return undefined;
  const uom = m[2] ?? '';
  if (uom.length > PERFDATA_LIMITS.uomChars) return undefined;
  const value = m[1] === undefined ? null : Number(m[1]);
  if (value !== null && !Number.isFinite(value)) return undefined;
  const lo = bound(min, uom);
  const hi = bound(max, uom);
  if (lo === undefined || hi === undefined) return undefined;
  return { label, value, uom, warn: threshold(warn), crit: threshold(crit), min: lo, max: hi };
}

/** Parses a performance data string (the text after `|`, lines joined by whitespace). */
export function parsePerfdata(text: string): PerfdataParse {
  const items: PerfDatum[] = [];
  const invalid: string[] = [];
  const s = String(text ?? '');
  const n = s.length;
  let i = 0;
  const nextSpace = (from: number) => {
    let j = from;
    while (j < n && !WHITESPACE.test(s[j]!)) j++;
    return j;
  };
  const reject = (from: number, to: number) => {
    if (invalid.length < PERFDATA_LIMITS.items) invalid.push(clip(s.slice(from, to), PERFDATA_LIMITS.labelChars));
  };

  while (i < n) {
    while (i < n && WHITESPACE.test(s[i]!)) i++;
    if (i >= n) break;
    const start = i;
    let label: string;
    if (s[i] === "'") {
      // Quoted: '' is one quote; the label ends at a lone quote, which must be followed by '='.
      let j = i + 1;
      let buf = '';
      let closed = false;
      while (j < n) {
        if (s[j] === "'") {
          if (s[j + 1] === "'") {
            buf += "'";
            j += 2;
            continue;
          }
          closed = true;
          break;
        }
        buf += s[j];
        j++;
      }
      if (!closed) {
        reject(start, n);
        break;
      }
      if (s[j + 1] !== '=' || buf === '') {
        i = nextSpace(j + 1);
        reject(start, i);
        continue;
      }
      label = buf;
      i = j + 2;
    } else {
      let j = i;
      while (j < n && s[j] !== '=' && !WHITESPACE.test(s[j]!)) j++;
      if (j === i || s[j] !== '=') {
        i = nextSpace(j);
        reject(start, i);
        continue;
      }
      label = s.slice(i, j);
      i = j + 1;
    }
    const end = nextSpace(i);
    const datum = label.length <= PERFDATA_LIMITS.labelChars ? parsePerfValue(label, s.slice(i, end)) : undefined;
    i = end;
    if (!datum) reject(start, end);
    else if (items.length < PERFDATA_LIMITS.items) items.push(datum);
  }
  return { items, invalid };
}

function quoteLabel(label: string): string {
  return /^[^\s'=]+$/.test(label) ? label : `'${label.replace(/'/g, "''")}'`;
}

/** Prints an item back in the guidelines' format (trailing empty fields dropped). */
export function formatPerfDatum(d: PerfDatum): string {
  const fields = [d.value === null ? 'U' : `${d.value}${d.uom}`, d.warn ?? '', d.crit ?? '', d.min === null ? '' : String(d.min), d.max === null ? '' : String(d.max)];
  while (fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
  return `${quoteLabel(d.label)}=${fields.join(';')}`;
}
