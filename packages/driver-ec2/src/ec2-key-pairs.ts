import { createHash, createPublicKey } from 'node:crypto';
import { DescribeKeyPairsCommand, ImportKeyPairCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { ProviderError, type OperationContext } from '@overmind/provider';
import { ec2Call, sendOptions, translateEc2Error } from './ec2-client.js';

/** Key types EC2's ImportKeyPair accepts. */
const SUPPORTED_TYPES = new Set(['ssh-rsa', 'ssh-ed25519']);

export interface OpenSshPublicKey {
  type: string;
  /** The decoded key blob (RFC 4253 wire format). */
  blob: Buffer;
  /** `type base64`, without the comment: what we import. */
  normalized: string;
}

export function parseOpenSshPublicKey(text: string): OpenSshPublicKey {
  const [type, b64] = text.trim().split(/\s+/);
  if (!type || !b64 || !SUPPORTED_TYPES.has(type)) {
    throw new ProviderError('EC2 imports only OpenSSH "ssh-rsa" or "ssh-ed25519" public keys', {
      providerCode: 'InvalidKey.Format',
    });
  }
  const blob = Buffer.from(b64, 'base64');
  const fields = readSshStrings(blob);
  if (fields[0]?.toString('latin1') !== type) {
    throw new ProviderError('The SSH public key is corrupt: its body does not match its type', {
      providerCode: 'InvalidKey.Format',
    });
  }
  return { type, blob, normalized: `${type} ${blob.toString('base64')}` };
}

/** Splits an SSH wire blob into its length-prefixed fields. */
function readSshStrings(blob: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  while (offset + 4 <= blob.length) {
    const length = blob.readUInt32BE(offset);
    if (offset + 4 + length > blob.length) break;
    out.push(blob.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return out;
}

function colonHex(digest: Buffer): string {
  return digest.toString('hex').replace(/(..)(?!$)/g, '$1:');
}

function base64Url(bytes: Buffer): string {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++; // mpints carry a sign byte
  return bytes.subarray(start).toString('base64url');
}

/**
 * Every fingerprint EC2 may show for this key: imported RSA keys get the MD5 of the DER public key
 * (AWS's own verification recipe), RFC 4716's MD5 of the blob is what older docs describe, and
 * ED25519 keys get the base64 SHA-256 of the blob. Any match means the same key.
 */
export function keyFingerprints(key: OpenSshPublicKey): Set<string> {
  const sha256 = createHash('sha256').update(key.blob).digest('base64');
  const prints = new Set([colonHex(createHash('md5').update(key.blob).digest()), sha256, sha256.replace(/=+$/, '')]);
  if (key.type === 'ssh-rsa') {
    const [, e, n] = readSshStrings(key.blob);
    if (e && n) {
      const der = createPublicKey({ key: { kty: 'RSA', e: base64Url(e), n: base64Url(n) }, format: 'jwk' }).export({
        type: 'spki',
        format: 'der',
      });
      prints.add(colonHex(createHash('md5').update(der).digest()));
    }
  }
  return prints;
}

/** A stable name per key, so the same key is never imported twice under different names. */
export function keyPairName(key: OpenSshPublicKey): string {
  return `overmind-${createHash('sha256').update(key.blob).digest('hex').slice(0, 20)}`;
}

/**
 * Returns the name of a key pair holding `publicKey`: an existing pair with the same name or
 * fingerprint, else a newly imported one.
 */
export async function ensureKeyPair(client: EC2Client, publicKey: string, ctx?: OperationContext): Promise<string> {
  const key = parseOpenSshPublicKey(publicKey);
  const name = keyPairName(key);
  const prints = keyFingerprints(key);
  const existing = await ec2Call('DescribeKeyPairs', () =>
    client.send(new DescribeKeyPairsCommand({}), sendOptions(ctx)),
  );
  const match = (existing.KeyPairs ?? []).find(
    (pair) => pair.KeyName === name || (pair.KeyFingerprint !== undefined && prints.has(pair.KeyFingerprint)),
  );
  if (match?.KeyName) {
    ctx?.log?.(`reusing EC2 key pair ${match.KeyName}`);
    return match.KeyName;
  }
  try {
    await client.send(
      new ImportKeyPairCommand({ KeyName: name, PublicKeyMaterial: Buffer.from(key.normalized) }),
      sendOptions(ctx),
    );
  } catch (err) {
    // Another create imported the same key since we looked: its name is ours, so use it.
    if (!(err instanceof Error && err.name === 'InvalidKeyPair.Duplicate')) throw translateEc2Error(err, 'ImportKeyPair');
  }
  ctx?.log?.(`imported EC2 key pair ${name}`);
  return name;
}
