/**
 * The one POSIX sh script that gathers a server's facts in a single exec (fed to `sh -s` on stdin).
 * Each section starts with a marker line; a missing tool leaves its section empty, never fails the run.
 */
export const SECTION_MARKER = '@@overmind-facts:';

const sections: [name: string, body: string][] = [
  ['hostname', 'hostname 2>/dev/null || cat /proc/sys/kernel/hostname'],
  ['os-release', 'cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release'],
  ['uname', 'uname -s; uname -r; uname -v; uname -m'],
  ['cpuinfo', "grep -E '^(processor|model name|physical id|core id|cpu cores|cpu MHz|Hardware|Model)[[:space:]]*:' /proc/cpuinfo"],
  ['nproc', 'getconf _NPROCESSORS_ONLN'],
  ['meminfo', "grep -E '^(MemTotal|MemAvailable|SwapTotal):' /proc/meminfo"],
  ['lsblk', 'lsblk -b -d -P -o NAME,TYPE,SIZE,ROTA,MODEL'],
  // Fallback when lsblk is missing: name, size in 512-byte sectors, rotational flag.
  ['sysblock', 'for d in /sys/block/*; do [ -r "$d/size" ] && echo "${d##*/} $(cat "$d/size") $(cat "$d/queue/rotational" 2>/dev/null)"; done'],
  ['df', 'df -P -k -T 2>/dev/null || df -P -k'],
  ['ip-addr', 'ip -o addr show'],
  ['ip-link', 'ip -o link show'],
  ['sysnet', 'for i in /sys/class/net/*; do echo "${i##*/} $(cat "$i/address" 2>/dev/null) $(cat "$i/mtu" 2>/dev/null) $(cat "$i/operstate" 2>/dev/null)"; done'],
  ['route', 'ip -4 route show default'],
  ['uptime', 'cat /proc/uptime'],
  ['virt', 'systemd-detect-virt'],
  ['dmi', 'for f in sys_vendor product_name product_serial bios_version; do echo "$f=$(cat /sys/class/dmi/id/$f 2>/dev/null)"; done'],
];

export const FACTS_SCRIPT = [
  'export LC_ALL=C',
  ...sections.map(([name, body]) => `echo '${SECTION_MARKER}${name}'; { ${body}; } 2>/dev/null`),
  'exit 0',
  '',
].join('\n');

/** Splits the script's output into its sections. */
export function splitSections(output: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (current !== undefined) out.set(current, lines.join('\n').trim());
  };
  for (const line of output.split('\n')) {
    if (line.startsWith(SECTION_MARKER)) {
      flush();
      current = line.slice(SECTION_MARKER.length).trim();
      lines = [];
    } else if (current !== undefined) {
      lines.push(line);
    }
  }
  flush();
  return out;
}
