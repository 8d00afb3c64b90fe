import { createHash } from 'node:crypto';
import { NotFoundError, ProviderError, type OperationContext } from '@overmind/provider';
import type { DigitalOceanClient } from './digitalocean-client.js';
import type { DoSshKey } from './digitalocean-types.js';

/** The MD5 fingerprint DigitalOcean shows for an OpenSSH public key (`aa:bb:...`). */
export function md5Fingerprint(publicKey: string): string {
  const blob = publicKey.trim().split(/\s+/)[1] ?? '';
  const bytes = Buffer.from(blob, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(blob) || bytes.length < 16) {
    throw new ProviderError('The SSH public key is not in OpenSSH format ("ssh-ed25519 AAAA... comment")');
  }
  return createHash('md5').update(bytes).digest('hex').match(/../g)!.join(':');
}

/** Finds the account's SSH key with this public key's fingerprint, or uploads it. */
export async function importSshKey(
  client: DigitalOceanClient,
  publicKey: string,
  name: string,
  ctx?: OperationContext,
): Promise<DoSshKey> {
  const fingerprint = md5Fingerprint(publicKey);
  try {
    const found = await client.get<{ ssh_key: DoSshKey }>(`/v2/account/keys/${fingerprint}`, ctx);
    ctx?.log?.(`SSH key ${fingerprint} already on the account as "${found.ssh_key.name}"`);
    return found.ssh_key;
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
  const created = await client.post<{ ssh_key: DoSshKey }>('/v2/account/keys', { name, public_key: publicKey.trim() }, ctx);
  ctx?.log?.(`SSH key ${fingerprint} uploaded as "${created.ssh_key.name}"`);
  return created.ssh_key;
}
