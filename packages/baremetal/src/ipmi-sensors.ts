/**
 * Parses `ipmitool sensor` (ten pipe-separated columns with thresholds) and `ipmitool sdr list`
 * (three columns). Unreadable lines are skipped, never fatal.
 */
import type { SensorReading } from '@overmind/provider';

const THRESHOLDS = ['lowerNonRecoverable', 'lowerCritical', 'lowerNonCritical', 'upperNonCritical', 'upperCritical', 'upperNonRecoverable'] as const;

/** ipmitool's status column: ok, nc (non-critical), cr (critical), nr (non-recoverable), na/ns (no reading). */
export function sensorStatus(raw: string): SensorReading['status'] {
  const s = raw.trim().toLowerCase();
  if (s === 'ok') return 'ok';
  if (s === 'nc' || s === 'lnc' || s === 'unc') return 'warning';
  if (['cr', 'nr', 'lcr', 'ucr', 'lnr', 'unr'].includes(s)) return 'critical';
  return 'unknown';
}

function toNumber(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const s = raw.trim();
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

/** One line of `ipmitool sensor`: name | value | unit | status | lnr | lcr | lnc | unc | ucr | unr. */
function parseSensorLine(line: string): SensorReading | null {
  const cols = line.split('|').map((c) => c.trim());
  if (cols.length < 4 || !cols[0]) return null;
  const [name, rawValue = '', unit = '', status = ''] = cols;
  const discrete = unit.toLowerCase() === 'discrete';
  const thresholds: Record<string, number> = {};
  THRESHOLDS.forEach((key, i) => {
    const value = toNumber(cols[4 + i]);
    if (value !== null) thresholds[key] = value;
  });
  return {
    name,
    value: discrete ? null : toNumber(rawValue),
    unit: discrete || !unit || unit === 'na' ? null : unit,
    status: sensorStatus(status),
    extra: { ...(discrete ? { discreteState: rawValue } : {}), ...(Object.keys(thresholds).length ? { thresholds } : {}) },
  };
}

/** One line of `ipmitool sdr list`: name | "45 degrees C" or "0x00" or "disabled" | status. */
function parseSdrLine(line: string): SensorReading | null {
  const cols = line.split('|').map((c) => c.trim());
  if (cols.length !== 3 || !cols[0]) return null;
  const [name, reading = '', status = ''] = cols;
  const match = /^(-?\d+(?:\.\d+)?)(?:\s+(.*))?$/.exec(reading);
  return {
    name,
    value: match ? Number(match[1]) : null,
    unit: match?.[2] ? match[2] : null,
    status: sensorStatus(status),
    extra: match ? {} : { reading },
  };
}

/** Parses either format, chosen per line by its column count. */
export function parseSensorTable(output: string): SensorReading[] {
  const readings: SensorReading[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes('|')) continue;
    const columns = line.split('|').length;
    const reading = columns === 3 ? parseSdrLine(line) : parseSensorLine(line);
    if (reading) readings.push(reading);
  }
  return readings;
}
