/** createNode: clone (or no disk), define from generated XML, start; idempotent per key, rolled back on failure. */
import { NotFoundError, ProviderError, type CreateNodeRequest, type OperationContext } from '@overmind/provider';
import type { DomainReport } from './domain-mapper.js';
import { cloneVolume, defineDomain, readVolume, rollback, startDomain } from './domain-steps.js';
import { DISKLESS_IMAGE, buildDomainXml, clonedVolumeName, domainUuid, isValidDomainName } from './domain-xml.js';
import type { ResolvedSettings } from './libvirt-settings.js';
import { domainReports } from './virsh-reports.js';
import type { VirshShell } from './virsh-shell.js';

function invalid(message: string): ProviderError {
  return new ProviderError(message, { providerCode: 'invalid-request', status: 400 });
}

/** Checks the request against the settings before anything touches the host. */
export function checkCreateRequest(request: CreateNodeRequest, settings: ResolvedSettings) {
  if (!isValidDomainName(request.name)) {
    throw invalid(`"${request.name}" is not a valid node name: use 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  const size = settings.sizes.find((s) => s.id === request.sizeId);
  if (!size) throw new NotFoundError(`libvirt provider has no size "${request.sizeId}"`, { status: 404 });
  if (request.locationId !== settings.host) {
    throw new NotFoundError(`libvirt provider has no location "${request.locationId}" (only "${settings.host}")`, { status: 404 });
  }
  // Only base volumes may be cloned, never another node's disk.
  if (request.imageId !== DISKLESS_IMAGE && (!request.imageId.startsWith(settings.imagePrefix) || request.imageId === settings.imagePrefix)) {
    throw new NotFoundError(`libvirt provider has no image "${request.imageId}" (base images start with "${settings.imagePrefix}")`, { status: 404 });
  }
  return { size, uuid: domainUuid(request.idempotencyKey) };
}

async function findExisting(virsh: VirshShell, uuid: string, request: CreateNodeRequest, settings: ResolvedSettings, ctx?: OperationContext) {
  const [existing] = await domainReports(virsh, { uuids: [uuid], addressSource: settings.addressSource });
  if (!existing) return undefined;
  if (existing.info.overmind?.idempotencyKey !== request.idempotencyKey) {
    throw new ProviderError(`Domain ${uuid} exists but was not created for this request`, { providerCode: 'uuid-conflict', status: 409 });
  }
  ctx?.log?.(`domain ${existing.info.name} (${uuid}) already exists for this idempotency key`);
  // Defined but never started: the earlier attempt stopped between define and start.
  if (!/^shut off \(unknown\)/.test(existing.domstate.trim())) return existing;
  await startDomain(virsh, uuid, ctx);
  return (await domainReports(virsh, { uuids: [uuid], addressSource: settings.addressSource }))[0] ?? existing;
}

export async function createDomain(
  virsh: VirshShell,
  request: CreateNodeRequest,
  settings: ResolvedSettings,
  ctx?: OperationContext,
): Promise<DomainReport> {
  const { size, uuid } = checkCreateRequest(request, settings);
  const found = await findExisting(virsh, uuid, request, settings, ctx);
  if (found) return found;
  if ((await virsh.attempt(['domuuid', request.name])).exitCode === 0) {
    throw new ProviderError(`A domain named "${request.name}" already exists on ${settings.host}`, { providerCode: 'name-taken', status: 409 });
  }
  if (request.sshPublicKey || request.userData) ctx?.log?.('sshPublicKey and userData are not applied: this driver does not build cloud-init seeds');

  const pool = settings.storagePool;
  const diskless = request.imageId === DISKLESS_IMAGE;
  const base = diskless ? undefined : await readVolume(virsh, pool, request.imageId);
  const volume = base ? { pool, name: clonedVolumeName(request.name, uuid, base.name) } : undefined;
  const done: Parameters<typeof rollback>[1] = {};
  try {
    if (base && volume) {
      await cloneVolume(virsh, { pool, base, target: volume.name, diskGb: size.diskGb, timeoutMs: settings.cloneTimeoutSeconds * 1000 }, ctx);
      done.volume = volume;
    }
    const xml = buildDomainXml({
      type: settings.domainType,
      name: request.name,
      uuid,
      memoryMb: size.ramMb ?? settings.defaultMemoryMb,
      vcpus: size.cpus,
      ...(base && volume ? { disk: { pool, volume: volume.name, format: base.format } } : {}),
      ...(settings.network ? { network: settings.network } : {}),
      metadata: {
        idempotencyKey: request.idempotencyKey,
        imageId: request.imageId,
        sizeId: size.id,
        createdAt: new Date().toISOString(),
        volumes: volume ? [volume] : [],
        tags: request.tags ?? {},
      },
    });
    await defineDomain(virsh, xml, ctx);
    done.uuid = uuid;
    await startDomain(virsh, uuid, ctx);
  } catch (err) {
    await rollback(virsh, done, ctx);
    throw err;
  }
  const [report] = await domainReports(virsh, { uuids: [uuid], addressSource: settings.addressSource });
  if (!report) throw new ProviderError(`Domain ${uuid} vanished right after it was started`);
  return report;
}
