import { createHash } from 'node:crypto';
import { ProviderError, type OperationContext } from '@overmind/provider';
import type { OpenStackClient } from './openstack-client.js';
import type { NovaKeypair } from './openstack-types.js';

/** The MD5 fingerprint Nova shows for an OpenSSH public key (`aa:bb:...`). */
export function keyFingerprint(publicKey: string): string {
  const blob = publicKey.trim().split(/\s+/)[1] ?? '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(blob) || Buffer.from(blob, 'base64').length < 16) {
    throw new ProviderError('The SSH public key is not in OpenSSH format ("ssh-ed25519 AAAA... comment")');
  }
  const hex = createHash('md5').update(Buffer.from(blob, 'base64')).digest('hex');
  return hex.replace(/(..)(?!$)/g, '$1:');
}

/** Finds the user's keypair with this key's fingerprint, or imports it; resolves to the keypair name. */
export async function importKeypair(client: OpenStackClient, publicKey: string, ctx?: OperationContext): Promise<string> {
  const fingerprint = keyFingerprint(publicKey);
  const pairs = await client.listCompute<{ keypair: NovaKeypair }>('/os-keypairs', 'keypairs', ctx);
  const found = pairs.find((p) => p?.keypair?.fingerprint === fingerprint)?.keypair;
  if (found) {
    ctx?.log?.(`keypair "${found.name}" already holds key ${fingerprint}`);
    return found.name;
  }
  // Named for the fingerprint, so two different keys never collide on a name.
  const name = `overmind-${fingerprint.replace(/:/g, '').slice(0, 16)}`;
  const created = await client.request<{ keypair?: NovaKeypair }>('compute', 'POST', '/os-keypairs', {
    body: { keypair: { name, public_key: publicKey.trim() } },
    ctx,
  });
  ctx?.log?.(`keypair "${created?.keypair?.name ?? name}" imported for key ${fingerprint}`);
  return created?.keypair?.name ?? name;
}
