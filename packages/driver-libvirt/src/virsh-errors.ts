/**
 * Turns a failed virsh call into the provider error vocabulary. virsh runs with LC_ALL=C, so its
 * `error: ...` lines are the English libvirt messages matched here.
 */
import { InvalidCredentialsError, NotFoundError, ProviderError, TransientError } from '@overmind/provider';

export interface FailedCall {
  /** Short name of what ran, e.g. `virsh start`; never includes stdin. */
  what: string;
  endpoint: string;
  exitCode: number | null;
  stderr: string;
}

const NOT_FOUND: readonly [RegExp, string, string][] = [
  [/failed to get domain|Domain not found|no domain with matching/i, 'domain-not-found', 'domain'],
  [/failed to get pool|Storage pool not found|no storage pool with matching/i, 'pool-not-found', 'storage pool'],
  [/failed to get vol|Storage volume not found|no storage vol with matching/i, 'volume-not-found', 'storage volume'],
  [/failed to get network|Network not found|no network with matching/i, 'network-not-found', 'network'],
];

/** The `error: ...` lines, joined; the last three are enough to tell what went wrong. */
export function virshMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const errors = lines.filter((l) => l.startsWith('error:')).map((l) => l.slice('error:'.length).trim());
  return (errors.length ? errors : lines).slice(-3).join('; ').slice(0, 500);
}

export function isDomainNotFound(stderr: string): boolean {
  return NOT_FOUND[0]![0].test(stderr);
}

export function translateVirshError(call: FailedCall): ProviderError {
  const said = virshMessage(call.stderr);
  const message = `${call.what} on ${call.endpoint} failed: ${said || `exit code ${call.exitCode}`}`;
  if (call.exitCode === 127 || /virsh: (command )?not found/.test(call.stderr)) {
    return new ProviderError(`virsh is not installed on ${call.endpoint} (install libvirt-clients)`, {
      providerCode: 'virsh-missing',
    });
  }
  for (const [pattern, providerCode] of NOT_FOUND) {
    if (pattern.test(call.stderr)) return new NotFoundError(message, { providerCode, status: 404 });
  }
  // The SSH login worked but the user may not use libvirt: a credentials problem for the caller.
  // Without a reachable polkit (no system bus) libvirtd cannot authorize a non-root user either.
  if (/authentication (failed|unavailable)|polkit|access denied|Unable to get system bus connection/i.test(call.stderr) ||
    (/failed to connect to the hypervisor/i.test(call.stderr) && /Permission denied/i.test(call.stderr))) {
    return new InvalidCredentialsError(`${message}. The SSH user needs access to libvirt (see the driver README)`, {
      providerCode: 'libvirt-access-denied',
    });
  }
  if (/failed to connect to the hypervisor|Failed to connect socket|Cannot recv data|End of file while reading|Connection reset/i.test(call.stderr)) {
    return new TransientError(message, { providerCode: 'libvirt-unavailable' });
  }
  if (/Requested operation is not valid|already active|is not running|already exists/i.test(call.stderr)) {
    return new ProviderError(message, { providerCode: 'operation-invalid', status: 409 });
  }
  return new ProviderError(message, { providerCode: 'virsh-failed' });
}
