import { Box, Group, Paper, Progress, Table, Text, Title } from '@mantine/core';
import { AUTO_GRID } from './auto-grid.js';
import { TableScroll } from './table-scroll.js';
import { Fragment, type ReactNode } from 'react';

/**
 * Facts a driver or the node's agent gathered (OS, kernel, CPU, memory, disks...) as sections, and the
 * provider-only `extra` as a definition list, the usual facts first in a fixed order. Keys are read for units: `...Bytes` as sizes, `...Seconds` as durations,
 * `...At` as dates; nested objects and lists are written compactly on one line each.
 */
type Data = Record<string, unknown>;

const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

const ACRONYMS = new Set(['bios', 'bmc', 'cpu', 'dmi', 'id', 'ip', 'ipmi', 'mac', 'mtu', 'os', 'ssh', 'url', 'vm']);

/** The facts an operator looks for first, in this order; any others follow as they come. */
const ORDER = ['hostname', 'os', 'kernel', 'arch', 'cpu', 'memory', 'memoryBytes', 'disks', 'filesystems', 'network', 'virtualization', 'dmi'];
const rank = (key: string) => { const i = ORDER.indexOf(key); return i < 0 ? ORDER.length : i; };

/** `swapTotalBytes` → `swap total` (the unit shows in the value), `biosVersion` → `BIOS version`, `version_id` → `version ID`. */
const words = (key: string) =>
  key.replace(/_/g, ' ').replace(/(?<=.)(Bytes|Seconds|At)$/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
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
      {Object.entries(data).sort(([a], [b]) => rank(a) - rank(b)).map(([key, value]) => (
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

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown): Data => (isObject(v) ? v : {});
const list = (v: unknown): Data[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** Term and value pairs whose value is known, as a definition list. */
function Pairs({ pairs }: { pairs: [string, string | undefined][] }) {
  const shown = pairs.filter((p): p is [string, string] => p[1] !== undefined);
  if (shown.length === 0) return null;
  return <dl className="facts">{shown.map(([t, v]) => <Fragment key={t}><dt>{t}</dt><dd>{v}</dd></Fragment>)}</dl>;
}

/** A table of facts in its card; one wider than the card (long IPv6 addresses) scrolls in its own box. */
function FactTable({ label, head, rows }: { label: string; head: string[]; rows: (string | ReactNode)[][] }) {
  return (
    <TableScroll label={label}>
      <Table aria-label={label} striped withTableBorder>
        <Table.Thead><Table.Tr>{head.map((h) => <Table.Th key={h}>{h}</Table.Th>)}</Table.Tr></Table.Thead>
        <Table.Tbody>{rows.map((r, i) => <Table.Tr key={i}>{r.map((c, j) => <Table.Td key={j}>{c ?? '—'}</Table.Td>)}</Table.Tr>)}</Table.Tbody>
      </Table>
    </TableScroll>
  );
}

/** A card of the grid; a wide one (the network's table) takes a whole row. */
function Section({ title, wide = false, children }: { title: string; wide?: boolean; children: ReactNode }) {
  return (
    <Paper withBorder p="sm" role="group" aria-label={title} style={wide ? { gridColumn: '1 / -1' } : undefined}>
      <Title order={3} size="h5" mb={4}>{title}</Title>
      {children}
    </Paper>
  );
}

const size = (v: unknown) => (num(v) === undefined ? undefined : bytes(num(v)!));

/** Facts of both shapes (a driver's NodeFacts: `memory.totalBytes`, `network.interfaces`; an agent's: `memoryBytes`, `network` as a list). */
const KNOWN = ['hostname', 'os', 'kernel', 'arch', 'uptimeSeconds', 'virtualization', 'hardware', 'dmi', 'cpu', 'memory', 'memoryBytes', 'swapBytes', 'disks', 'filesystems', 'network', 'gatheredAt'];

function system(f: Data): [string, string | undefined][] {
  const os = obj(f.os);
  const kernel = isObject(f.kernel) ? f.kernel : { release: f.kernel };
  const hw = { ...obj(f.dmi), ...obj(f.hardware) };
  const virt = isObject(f.virtualization) ? [f.virtualization.type, f.virtualization.role].filter(Boolean).join(', ') : str(f.virtualization);
  return [
    ['Hostname', str(f.hostname)],
    ['OS', str(os.prettyName) ?? str(os.pretty_name) ?? ([str(os.name) ?? str(os.id), str(os.version) ?? str(os.versionId) ?? str(os.version_id)].filter(Boolean).join(' ') || undefined)],
    ['Kernel', [str(kernel.name), str(kernel.release)].filter(Boolean).join(' ') || undefined],
    ['Architecture', str(f.arch) ?? str(obj(f.kernel).machine)],
    ['Uptime', num(f.uptimeSeconds) === undefined ? undefined : scalar('uptimeSeconds', f.uptimeSeconds)],
    ['Virtualization', virt || undefined],
    ['Hardware', [str(hw.vendor), str(hw.product)].filter(Boolean).join(' ') || undefined],
    ['Serial', str(hw.serial)],
    ['BIOS', str(hw.biosVersion) ?? str(hw.bios_version)],
    ['Gathered', str(f.gatheredAt) ? scalar('gatheredAt', f.gatheredAt) : undefined],
  ];
}

function FactSections({ facts: f }: { facts: Data }) {
  const cpu = obj(f.cpu);
  const memory = obj(f.memory);
  const disks = list(f.disks);
  const filesystems = list(f.filesystems);
  const network = Array.isArray(f.network) ? { interfaces: list(f.network) } : obj(f.network);
  const interfaces = list(network.interfaces);
  const other = Object.fromEntries(Object.entries(f).filter(([k]) => !KNOWN.includes(k)));
  const address = (a: Data) => str(a.cidr) ?? (str(a.address) ? `${str(a.address)}${num(a.prefixLength) === undefined ? '' : `/${num(a.prefixLength)}`}` : undefined);
  // One address a line: an IPv6 address has no place to break, so a comma-joined list made the table too wide.
  const addresses = (all: Data[]) => {
    const shown = all.map(address).filter((a): a is string => a !== undefined);
    return shown.length === 0 ? undefined : <span className="address-lines">{shown.join('\n')}</span>;
  };
  return (
    <Box style={AUTO_GRID}>
      <Section title="System"><Pairs pairs={system(f)} /></Section>
      <Section title="CPU">
        <Pairs pairs={[['Model', str(cpu.model)], ['CPUs', str(cpu.count)], ['Cores', str(cpu.cores)], ['Sockets', str(cpu.sockets)], ['Clock', num(cpu.mhz) === undefined ? undefined : `${Math.round(num(cpu.mhz)!)} MHz`]]} />
      </Section>
      <Section title="Memory">
        <Pairs pairs={[['Total', size(memory.totalBytes) ?? size(f.memoryBytes)], ['Available', size(memory.availableBytes)], ['Swap', size(memory.swapTotalBytes) ?? size(f.swapBytes)]]} />
      </Section>
      {interfaces.length > 0 && (
        <Section title="Network" wide>
          <FactTable label="Network interfaces" head={['Interface', 'MAC', 'State', 'Addresses']}
            rows={interfaces.map((i) => [str(i.name), str(i.mac), [str(i.state), num(i.mtu) === undefined ? undefined : `MTU ${num(i.mtu)}`].filter(Boolean).join(', ') || undefined, addresses(list(i.addresses))])} />
          {str(network.defaultGateway) && <Text size="sm">Default gateway {str(network.defaultGateway)}</Text>}
        </Section>
      )}
      {disks.length > 0 && (
        <Section title="Disks">
          <FactTable label="Disks" head={['Disk', 'Size', 'Kind', 'Model']}
            rows={disks.map((d) => [str(d.name), size(d.sizeBytes), str(d.type) ?? (d.rotational === true ? 'rotational' : d.rotational === false ? 'solid state' : undefined), str(d.model)])} />
        </Section>
      )}
      {filesystems.length > 0 && (
        <Section title="Filesystems">
          <FactTable label="Filesystems" head={['Mount', 'Device', 'Size', 'Used']}
            rows={filesystems.map((fs) => {
              const total = num(fs.sizeBytes), used = num(fs.usedBytes);
              const pct = total && used !== undefined ? Math.round((used / total) * 100) : undefined;
              return [str(fs.mountPoint) ?? str(fs.mount), [str(fs.device), str(fs.type) ?? str(fs.fstype)].filter(Boolean).join(' '), size(total),
                pct === undefined ? undefined : <Group gap={6} wrap="nowrap"><Progress value={pct} w={60} aria-label={`${pct} % used`} color={pct >= 90 ? 'red' : undefined} /><span>{pct} %</span></Group>];
            })} />
        </Section>
      )}
      {Object.keys(other).length > 0 && <Section title="Other"><DataList data={other} /></Section>}
    </Box>
  );
}

/** The facts as sections an operator reads at a glance: system, CPU, memory, network, disks, filesystems, and any others. */
export function NodeFacts({ facts }: { facts: Data | null }) {
  return (
    <section aria-labelledby="node-facts-title">
      <h2 id="node-facts-title">Facts</h2>
      {facts && Object.keys(facts).length > 0 ? <FactSections facts={facts} /> : <p>No facts yet.</p>}
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
