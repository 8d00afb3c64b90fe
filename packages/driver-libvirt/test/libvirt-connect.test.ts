import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { InvalidCredentialsError, type HostKeyEvent } from '@overmind/provider';
import { HostKeyMismatchError, SshAuthError } from '@overmind/ssh';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LibvirtDriver, libvirtPlugin, type LibvirtCredentials, type LibvirtSettings } from '../src/index.js';
import { startLibvirtFixture, type LibvirtFixture } from '../test-support/libvirtd-fixture.js';

let fx: LibvirtFixture;

beforeAll(async () => {
  fx = await startLibvirtFixture({ network: false, sshd: { users: [{ sudo: 'none' }] } });
});
afterAll(async () => {
  await fx?.stop();
});

function driver(settings: Partial<LibvirtSettings> = {}, credentials?: LibvirtCredentials, onHostKey?: (e: HostKeyEvent) => void) {
  return libvirtPlugin.createDriver({
    providerId: randomUUID(),
    credentials: credentials ?? fx.credentials(),
    settings: fx.settings(settings),
    ...(onHostKey ? { onHostKey } : {}),
  }) as LibvirtDriver;
}

describe('validateCredentials', () => {
  it('connects over SSH and reaches libvirt', async () => {
    const lines: string[] = [];
    await expect(driver().validateCredentials({ log: (l) => lines.push(l) })).resolves.toBeUndefined();
    expect(lines).toEqual([]);
  });

  it('refuses a key the host does not accept', async () => {
    const { privateKey } = generateKeyPairSync('ec', {
      namedCurve: 'prime256v1',
      privateKeyEncoding: { type: 'sec1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const err = await driver({}, { username: fx.sshd.username, privateKey }).validateCredentials().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidCredentialsError);
    expect(err).toBeInstanceOf(SshAuthError);
  });

  it('refuses a wrong password without quoting it', async () => {
    const user = fx.sshd.users[0]!;
    const err = await driver({}, { username: user.username, password: 'wrong-pass-0042' }).validateCredentials().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidCredentialsError);
    expect((err as Error).message).not.toContain('wrong-pass-0042');
  });

  it('logs in a user libvirt does not authorize, and says so as a credentials error', async () => {
    const user = fx.sshd.users[0]!;
    const err = await driver({}, { username: user.username, password: user.password }).validateCredentials().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidCredentialsError);
    expect(err).toMatchObject({ providerCode: 'libvirt-access-denied' });
    expect((err as Error).message).toMatch(/virsh version .* failed: failed to connect to the hypervisor/);
    expect((err as Error).message).not.toContain(user.password);
  });
});

describe('host key', () => {
  it('pins the key on first use, reports it once, and keeps using the pin', async () => {
    const events: HostKeyEvent[] = [];
    const d = driver({ hostKeyFingerprint: undefined }, undefined, (e) => void events.push(e));
    expect(d.hostKeyFingerprint).toBeUndefined();
    await d.validateCredentials();
    await d.listImages();
    await d.validateCredentials();
    expect(events).toEqual([{ host: '127.0.0.1', port: fx.sshd.port, hostKeyFingerprint: fx.sshd.hostKeyFingerprint }]);
    expect(d.hostKeyFingerprint).toBe(fx.sshd.hostKeyFingerprint);
  });

  it('refuses a host whose key differs from the pinned one', async () => {
    const pinned = `SHA256:${'Q'.repeat(43)}`;
    const events: HostKeyEvent[] = [];
    const err = await driver({ hostKeyFingerprint: pinned }, undefined, (e) => void events.push(e)).validateCredentials().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyMismatchError);
    expect(err).toMatchObject({ expectedFingerprint: pinned, actualFingerprint: fx.sshd.hostKeyFingerprint });
    expect(events).toEqual([]);
  });
});

describe('catalog', () => {
  it('lists the base volumes with the diskless image first, and searches them', async () => {
    await fx.virsh('vol-create-as', fx.pool, 'not-a-base.img', '1M', '--format', 'raw');
    const images = await driver().listImages();
    expect(images.map((i) => i.id)).toEqual(['none', 'base-tiny.img']);
    expect(images[1]).toMatchObject({ name: 'tiny', extra: { pool: fx.pool, format: 'raw', capacityBytes: 1024 * 1024 } });
    expect((await driver().listImages(undefined, { search: 'TINY' })).map((i) => i.id)).toEqual(['base-tiny.img']);
    expect(await driver({ imagePrefix: 'nothing-' }).listImages()).toHaveLength(1);
  });

  it('reports a missing storage pool as NotFound', async () => {
    await expect(driver({ storagePool: 'ovm-no-such-pool' }).listImages()).rejects.toMatchObject({
      code: 'not_found',
      providerCode: 'pool-not-found',
    });
  });

  it('lists the configured sizes, filling in the default memory, and the host as the one location', async () => {
    const d = driver();
    expect(await d.listSizes()).toEqual([
      { id: 'tiny', name: 'Tiny (1 vCPU, 64 MiB, 1 GB)', cpus: 1, ramMb: 64, diskGb: 1, priceHourly: null, priceMonthly: null, extra: {} },
      { id: 'keep', name: 'keep (1 vCPU, 64 MiB, 0 GB)', cpus: 1, ramMb: 64, diskGb: 0, priceHourly: null, priceMonthly: null, extra: {} },
    ]);
    expect(await d.listLocations()).toEqual([
      { id: '127.0.0.1', name: '127.0.0.1 (libvirt)', country: null, extra: { uri: 'qemu:///system', storagePool: fx.pool, network: '' } },
    ]);
  });

  it('declares its plugin metadata and keeps secrets write-only', () => {
    expect(libvirtPlugin).toMatchObject({ kind: 'libvirt', displayName: 'libvirt / KVM' });
    const props = libvirtPlugin.credentialSchema.properties as Record<string, { writeOnly?: boolean }>;
    expect(Object.entries(props).filter(([, p]) => p.writeOnly).map(([k]) => k)).toEqual(['privateKey', 'passphrase', 'password']);
    expect(libvirtPlugin.capabilities).not.toContain('powerCycle');
  });
});
