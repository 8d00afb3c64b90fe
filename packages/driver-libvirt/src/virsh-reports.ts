/**
 * One-round-trip reports: a shell script prints each domain's XML, state and addresses (or each base
 * volume's XML) between marker lines carrying a random token, so no domain content can fake a marker.
 */
import { randomBytes } from 'node:crypto';
import { shellQuote } from '@overmind/ssh';
import { parseDomIfAddr, type DomainReport } from './domain-mapper.js';
import { parseDomainXml, parseVolumeXml, type VolumeInfo } from './domain-xml-parser.js';
import { isDomainNotFound } from './virsh-errors.js';
import type { VirshShell } from './virsh-shell.js';

interface Section {
  kind: string;
  arg: string;
  body: string;
}

function splitSections(output: string, marker: string): Section[] {
  const sections: Section[] = [];
  let current: Section | undefined;
  const lines: string[] = [];
  const close = () => {
    if (current) sections.push({ ...current, body: lines.join('\n') });
    lines.length = 0;
  };
  for (const line of output.split('\n')) {
    if (line.startsWith(`${marker}:`)) {
      close();
      const [kind = '', arg = ''] = line.slice(marker.length + 1).split(' ', 2);
      current = { kind, arg, body: '' };
    } else if (current) {
      lines.push(line);
    }
  }
  close();
  return sections;
}

function newMarker(): string {
  return `@@overmind-${randomBytes(8).toString('hex')}`;
}

/**
 * Reports every domain (`uuids` absent) or the given ones. Domains that vanish while the script runs
 * are left out; any other per-domain failure (libvirtd gone, no access) is thrown.
 */
export async function domainReports(
  virsh: VirshShell,
  options: { uuids?: readonly string[]; addressSource: string },
): Promise<DomainReport[]> {
  const m = newMarker();
  const v = (...args: string[]) => virsh.line(args);
  const ids = options.uuids
    ? `ids=${shellQuote(options.uuids.join(' '))}`
    : `ids=$(${v('-q', 'list', '--all', '--uuid')}) || exit $?`;
  const script = [
    ids,
    'for d in $ids; do',
    `  if ! xml=$(${v('dumpxml')} "$d" 2>/dev/null); then`,
    // Rare path: ask again for the message, so warnings never end up inside the XML.
    `    printf '%s\\n' "${m}:error $d" "$(${v('dumpxml')} "$d" 2>&1 >/dev/null)"; continue`,
    '  fi',
    `  printf '%s\\n' "${m}:xml $d" "$xml" "${m}:state $d"`,
    `  ${v('domstate', '--reason')} "$d" 2>/dev/null || true`,
    `  printf '%s\\n' "${m}:ifaddr $d"`,
    // Only running domains have addresses; for the others virsh just complains.
    `  ${v('domifaddr', '--source', options.addressSource)} "$d" 2>/dev/null || true`,
    'done',
    'exit 0',
  ].join('\n');
  const output = await virsh.script('virsh domain listing', script);

  const reports = new Map<string, Partial<DomainReport>>();
  for (const section of splitSections(output, m)) {
    const entry = reports.get(section.arg) ?? {};
    reports.set(section.arg, entry);
    if (section.kind === 'error') {
      reports.delete(section.arg);
      if (!isDomainNotFound(section.body)) throw virsh.error('virsh dumpxml', { exitCode: 1, stderr: section.body });
    } else if (section.kind === 'xml') entry.info = parseDomainXml(section.body);
    else if (section.kind === 'state') entry.domstate = section.body;
    else if (section.kind === 'ifaddr') entry.addresses = parseDomIfAddr(section.body);
  }
  return [...reports.values()].flatMap((r) =>
    r.info ? [{ info: r.info, domstate: r.domstate ?? '', addresses: r.addresses ?? [] }] : [],
  );
}

/** Volumes of `pool` whose names start with `prefix`, from their XML. */
export async function volumeReports(virsh: VirshShell, pool: string, prefix: string): Promise<VolumeInfo[]> {
  const m = newMarker();
  const script = [
    `vols=$(${virsh.line(['-q', 'vol-list', '--pool', pool])}) || exit $?`,
    `printf '%s\\n' "$vols" | while read -r name rest; do`,
    `  case "$name" in ${shellQuote(prefix)}?*) ;; *) continue ;; esac`,
    `  xml=$(${virsh.line(['vol-dumpxml', '--pool', pool])} "$name" 2>/dev/null) || continue`,
    `  printf '%s\\n' "${m}:vol" "$xml"`,
    'done',
    'exit 0',
  ].join('\n');
  const output = await virsh.script('virsh vol-list', script);
  return splitSections(output, m).map((s) => parseVolumeXml(s.body));
}
