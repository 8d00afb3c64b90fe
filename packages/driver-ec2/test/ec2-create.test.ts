import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError, type CreateNodeRequest } from '@overmind/provider';
import { IDEMPOTENCY_TAG, keyFingerprints, keyPairName, parseOpenSshPublicKey } from '../src/index.js';
import { listParam, type RecordedRequest } from './support/ec2-fake-server.js';
import { describeKeyPairsXml, importKeyPairXml, runInstancesXml } from './support/ec2-fixtures.js';
import { instance, startHarness, type Harness } from './support/ec2-harness.js';

let h: Harness;
let keyDir: string;
let publicKey: string;

/** Runs ssh-keygen/openssl; a missing tool fails loudly with the Debian package to install. */
function sh(cmd: 'ssh-keygen' | 'openssl', args: string[], input?: Buffer): Buffer {
  try {
    return execFileSync(cmd, args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${cmd} is not installed: apt-get install ${cmd === 'openssl' ? 'openssl' : 'openssh-client'}`);
    }
    throw err;
  }
}

beforeAll(() => {
  keyDir = mkdtempSync(join(tmpdir(), 'ec2-keys-'));
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ops@example', '-f', join(keyDir, 'id')]);
  publicKey = readFileSync(join(keyDir, 'id.pub'), 'utf8');
});
afterAll(() => rmSync(keyDir, { recursive: true, force: true }));
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const request: CreateNodeRequest = {
  name: 'web-1',
  imageId: 'ami-0abcdef1234567890',
  sizeId: 't3.micro',
  locationId: 'eu-west-1b',
  idempotencyKey: 'create-7f3a',
  userData: '#!/bin/sh\necho "hello from overmind" > /tmp/hi\n',
  tags: { team: 'web' },
  extra: { subnetId: 'subnet-0bb1c79de3EXAMPLE', securityGroupIds: ['sg-0a1b2c3d', 'sg-0e1f2a3b'] },
};

const launched = instance(1, { state: 'pending', PublicIpAddress: undefined, Placement: { AvailabilityZone: 'eu-west-1b' } });

/** TagSpecification.N.Tag.M.Key/Value of the first tag specification, as a record. */
function sentTags(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 1; params[`TagSpecification.1.Tag.${i}.Key`] !== undefined; i++) {
    out[params[`TagSpecification.1.Tag.${i}.Key`]!] = params[`TagSpecification.1.Tag.${i}.Value`]!;
  }
  return out;
}

/** How EC2 shows an imported ED25519 key: base64 SHA-256 of the key blob. */
const ed25519Print = (blob: Buffer) => createHash('sha256').update(blob).digest('base64');

function runCall(): RecordedRequest {
  const [call] = h.fake.calls('RunInstances');
  expect(call, 'RunInstances was not called').toBeDefined();
  return call!;
}

describe('createNode', () => {
  it('imports the SSH key and launches with placement, user data, tags and the client token', async () => {
    const key = parseOpenSshPublicKey(publicKey);
    h.fake
      .on('DescribeKeyPairs', { body: describeKeyPairsXml([]) })
      .on('ImportKeyPair', { body: importKeyPairXml(keyPairName(key), ed25519Print(key.blob)) })
      .on('RunInstances', { body: runInstancesXml(launched) });

    const node = await h.driver.createNode!({ ...request, sshPublicKey: publicKey });

    expect(h.fake.requests.map((r) => r.action)).toEqual(['DescribeKeyPairs', 'ImportKeyPair', 'RunInstances']);
    const imported = h.fake.calls('ImportKeyPair')[0]!.params;
    expect(imported.KeyName).toBe(keyPairName(key));
    expect(Buffer.from(imported.PublicKeyMaterial!, 'base64').toString()).toBe(publicKey.trim().replace(/ ops@example$/, ''));

    const p = runCall().params;
    expect(p).toMatchObject({
      ImageId: 'ami-0abcdef1234567890',
      InstanceType: 't3.micro',
      MinCount: '1',
      MaxCount: '1',
      'Placement.AvailabilityZone': 'eu-west-1b',
      ClientToken: 'create-7f3a',
      KeyName: keyPairName(key),
      SubnetId: 'subnet-0bb1c79de3EXAMPLE',
      'TagSpecification.1.ResourceType': 'instance',
    });
    expect(listParam(p, 'SecurityGroupId')).toEqual(['sg-0a1b2c3d', 'sg-0e1f2a3b']);
    expect(Buffer.from(p.UserData!, 'base64').toString('utf8')).toBe(request.userData);
    expect(sentTags(p)).toEqual({ team: 'web', Name: 'web-1', [IDEMPOTENCY_TAG]: 'create-7f3a' });

    expect(node).toMatchObject({ id: launched.InstanceId, name: 'web-1', state: 'pending', locationId: 'eu-west-1b' });
  });

  it('sends the same client token on a retried create, so EC2 returns the first instance', async () => {
    h.fake.on('RunInstances', { body: runInstancesXml(launched) });
    const { sshPublicKey: _none, ...noKey } = request;
    const first = await h.driver.createNode!(noKey);
    const second = await h.driver.createNode!(noKey);
    expect(second.id).toBe(first.id);
    const calls = h.fake.calls('RunInstances');
    expect(calls.map((c) => c.params.ClientToken)).toEqual(['create-7f3a', 'create-7f3a']);
    expect(calls[0]!.params.KeyName).toBeUndefined();
    expect(h.fake.calls('DescribeKeyPairs')).toHaveLength(0);
  });

  it('hashes idempotency keys longer than the 64 characters EC2 allows', async () => {
    h.fake.on('RunInstances', { body: runInstancesXml(launched) });
    await h.driver.createNode!({ ...request, idempotencyKey: 'k'.repeat(100) });
    const token = runCall().params.ClientToken!;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(sentTags(runCall().params)[IDEMPOTENCY_TAG]).toBe('k'.repeat(100));
  });

  it('reuses a key pair already holding the same key under another name', async () => {
    const key = parseOpenSshPublicKey(publicKey);
    h.fake
      .on('DescribeKeyPairs', {
        body: describeKeyPairsXml([
          { KeyPairId: 'key-1', KeyName: 'other', KeyFingerprint: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', KeyType: 'ed25519' },
          { KeyPairId: 'key-2', KeyName: 'laptop', KeyFingerprint: ed25519Print(key.blob), KeyType: 'ed25519' },
        ]),
      })
      .on('RunInstances', { body: runInstancesXml(launched) });
    await h.driver.createNode!({ ...request, sshPublicKey: publicKey });
    expect(h.fake.calls('ImportKeyPair')).toHaveLength(0);
    expect(runCall().params.KeyName).toBe('laptop');
  });

  it('uses its own name when a concurrent create imported the key first', async () => {
    const key = parseOpenSshPublicKey(publicKey);
    h.fake
      .on('DescribeKeyPairs', { body: describeKeyPairsXml([]) })
      .on('ImportKeyPair', { status: 400, body: `<?xml version="1.0"?><Response><Errors><Error><Code>InvalidKeyPair.Duplicate</Code><Message>The keypair already exists</Message></Error></Errors></Response>` })
      .on('RunInstances', { body: runInstancesXml(launched) });
    await h.driver.createNode!({ ...request, sshPublicKey: publicKey });
    expect(runCall().params.KeyName).toBe(keyPairName(key));
  });

  it('refuses key types EC2 cannot import before launching anything', async () => {
    const ecdsa = 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBPMYhoA2ICw6rVutJ9CaF63NCUwE3KCB06JjScoVIfOQilV7y/s6I7ty765jaVXo8Thj8ePVwy6whivI8NbZ8UY= x@y';
    await expect(h.driver.createNode!({ ...request, sshPublicKey: ecdsa })).rejects.toThrow(ProviderError);
    await expect(h.driver.createNode!({ ...request, sshPublicKey: 'ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIA==' })).rejects.toThrow(
      /does not match its type/,
    );
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe('key fingerprints', () => {
  it('include the SHA-256 that OpenSSH prints for an ED25519 key', () => {
    const printed = sh('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(keyDir, 'id.pub')]).toString();
    const sha = /SHA256:(\S+)/.exec(printed)![1]!;
    expect(keyFingerprints(parseOpenSshPublicKey(publicKey)).has(sha)).toBe(true);
  });

  it('include both MD5 forms EC2 documents for an imported RSA key', () => {
    const rsa = join(keyDir, 'rsa');
    sh('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', rsa]);
    const prints = keyFingerprints(parseOpenSshPublicKey(readFileSync(`${rsa}.pub`, 'utf8')));
    const rfc4716 = /MD5:(\S+)/.exec(sh('ssh-keygen', ['-l', '-E', 'md5', '-f', `${rsa}.pub`]).toString())![1]!;
    // AWS's recipe for imported keys: MD5 over the DER-encoded public key.
    const pem = sh('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', `${rsa}.pub`]);
    const der = sh('openssl', ['pkey', '-pubin', '-outform', 'DER'], pem);
    const derMd5 = /([0-9a-f]{2}(:[0-9a-f]{2}){15})/.exec(sh('openssl', ['md5', '-c'], der).toString())![1]!;
    expect(prints.has(rfc4716)).toBe(true);
    expect(prints.has(derMd5)).toBe(true);
    expect(derMd5).not.toBe(rfc4716);
  });
});
