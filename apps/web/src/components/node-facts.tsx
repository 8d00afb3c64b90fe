import { Fragment } from 'react';

/**
 * Facts a driver gathered (kernel, CPU, memory, disks...) and its provider-only `extra`, as a
 * definition list. Keys are read for units: `...Bytes` as sizes, `...Seconds` as durations,
 * `...At` as dates; nested objects and lists are written compactly on one line each.
 */
type Data = Record<string, unknown>;

const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

const ACRONYMS = new Set(['bios', 'bmc', 'cpu', 'id', 'ip', 'ipmi', 'mac', 'mtu', 'os', 'ssh', 'url']);

/** `swapTotalBytes` → `swap total` (the unit shows in the value), `biosVersion` → `BIOS version`. */
const words = (key: string) =>
  key.replace(/(?<=.)(Bytes|Seconds|At)$/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
    .split(' ').map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w)).join(' ');
const title = (key: string) => { const w = words(key); return w.charAt(0).toUpperCase() + w.slice(1); };

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  for (; n >= 1024 && i < units.length - 1; i++) n /= 1024;
  return `${Number.isInteger(n) ? n : n.toFixed(1)} ${units[i]}`;
}

function duration(s: number): string {
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  return [d && `${d} d`, h && `${h} h`, `${m} min`].filter(Boolean).join(' ');
}

function scalar(key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number' && key.endsWith('Bytes')) return bytes(v);
  if (typeof v === 'number' && key.endsWith('Seconds')) return duration(v);
  if (typeof v === 'string' && key.endsWith('At') && !Number.isNaN(Date.parse(v))) return new Date(v).toLocaleString();
  return String(v);
}

/** One line for any value: `model Xeon, count 8`; list items in parentheses when they are objects. */
function compact(key: string, v: unknown): string {
  if (Array.isArray(v)) return v.map((item) => (isObject(item) ? `(${compact(key, item)})` : compact(key, item))).join(', ') || '—';
  if (isObject(v)) return Object.entries(v).map(([k, x]) => `${words(k)} ${compact(k, x)}`).join(', ') || '—';
  return scalar(key, v);
}

function DataList({ data }: { data: Data }) {
  return (
    <dl className="facts">
      {Object.entries(data).map(([key, value]) => (
        <Fragment key={key}>
          <dt>{title(key)}</dt>
          <dd>
            {Array.isArray(value) && value.some(isObject)
              ? <ul className="fact-items">{value.map((item, i) => <li key={i}>{compact(key, item)}</li>)}</ul>
              : compact(key, value)}
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

export function NodeFacts({ facts }: { facts: Data | null }) {
  return (
    <section aria-labelledby="node-facts-title">
      <h2 id="node-facts-title">Facts</h2>
      {facts && Object.keys(facts).length > 0 ? <DataList data={facts} /> : <p>No facts yet.</p>}
    </section>
  );
}

/** Provider-only details: useful now and then, so folded away. */
export function NodeExtra({ extra }: { extra: Data }) {
  return (
    <details className="node-extra">
      <summary>Provider details</summary>
      {Object.keys(extra).length > 0 ? <DataList data={extra} /> : <p>None.</p>}
    </details>
  );
}
