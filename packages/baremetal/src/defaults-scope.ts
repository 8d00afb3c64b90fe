/**
 * Where a rack's default secrets (SSH key or password, BMC password) may be sent: IP addresses
 * inside the networks the provider's `defaultCredentialNetworks` names. A host name is never inside:
 * what it resolves to can change after the check. Changing the networks needs the credentials again
 * (it is one of the plugin's `endpointSettings`), so only someone who knows the defaults widens them.
 */
import { BlockList, isIP } from 'node:net';

export class DefaultsScope {
  private readonly list = new BlockList();

  /** Entries that are not `address/prefix` cover nothing (the settings schema refuses most). */
  constructor(readonly networks: readonly string[]) {
    for (const network of networks) {
      const [address = '', prefix = '', extra] = network.split('/');
      const family = isIP(address);
      const bits = Number(prefix);
      if (extra !== undefined || family === 0 || !/^\d{1,3}$/.test(prefix) || bits > (family === 4 ? 32 : 128)) continue;
      this.list.addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
    }
  }

  /** Whether `host` (an address as registered, or a URL's hostname) is an IP inside the networks. */
  covers(host: string): boolean {
    const address = host.replace(/^\[(.*)\]$/, '$1');
    const family = isIP(address);
    if (family === 0) return false;
    try {
      return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
    } catch {
      return false;
    }
  }

  /** For messages: the networks, or a note that there are none. */
  describe(): string {
    return this.networks.length ? this.networks.join(', ') : 'none are set';
  }
}
