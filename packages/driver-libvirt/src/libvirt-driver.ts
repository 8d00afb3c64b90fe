import { setTimeout as sleep } from 'node:timers/promises';
import {
  NotFoundError,
  ProviderError,
  TransientError,
  type CreateNodeRequest,
  type DriverConfig,
  type ImageQuery,
  type OperationContext,
  type ProviderDriver,
  type ProviderImage,
  type ProviderLocation,
  type ProviderNode,
  type ProviderSize,
} from '@overmind/provider';
import { createDomain } from './domain-create.js';
import { mapDomain, parseDomState } from './domain-mapper.js';
import { DISKLESS_IMAGE, isUuid } from './domain-xml.js';
import type { VolumeInfo } from './domain-xml-parser.js';
import {
  resolveSettings,
  toProviderSize,
  type LibvirtCredentials,
  type LibvirtSettings,
  type ResolvedSettings,
} from './libvirt-settings.js';
import { domainReports, volumeReports } from './virsh-reports.js';
import { LibvirtHost, type VirshShell } from './virsh-shell.js';

const POLL_MS = 500;

/** libvirt says "already active" / "not running" when the domain is already where we want it. */
function alreadyThere(err: unknown, pattern: RegExp): boolean {
  return err instanceof ProviderError && err.providerCode === 'operation-invalid' && pattern.test(err.message);
}

export class LibvirtDriver implements ProviderDriver {
  readonly #settings: ResolvedSettings;
  readonly #host: LibvirtHost;

  constructor(config: DriverConfig<LibvirtCredentials, LibvirtSettings>) {
    this.#settings = resolveSettings(config.settings);
    this.#host = new LibvirtHost(config.credentials, this.#settings, config.onHostKey);
  }

  /** The pinned SSH host key: from the settings, or the one seen on first use. */
  get hostKeyFingerprint(): string | undefined {
    return this.#host.hostKeyFingerprint;
  }

  async validateCredentials(ctx?: OperationContext): Promise<void> {
    await this.#host.session(ctx, (virsh) => virsh.run(['version']));
  }

  listNodes(ctx?: OperationContext): Promise<ProviderNode[]> {
    return this.#host.session(ctx, async (virsh) =>
      (await domainReports(virsh, { addressSource: this.#settings.addressSource })).map((r) => mapDomain(r, this.#settings.host)),
    );
  }

  async getNode(id: string, ctx?: OperationContext): Promise<ProviderNode | null> {
    if (!isUuid(id)) return null;
    return this.#host.session(ctx, async (virsh) => {
      const [report] = await domainReports(virsh, { uuids: [id], addressSource: this.#settings.addressSource });
      return report ? mapDomain(report, this.#settings.host) : null;
    });
  }

  createNode(request: CreateNodeRequest, ctx?: OperationContext): Promise<ProviderNode> {
    return this.#host.session(ctx, async (virsh) => mapDomain(await createDomain(virsh, request, this.#settings, ctx), this.#settings.host));
  }

  rebootNode(id: string, ctx?: OperationContext): Promise<void> {
    return this.#onDomain(id, ctx, async (virsh) => {
      ctx?.log?.(`rebooting domain ${id}`);
      await virsh.run(['reboot', id]);
    });
  }

  startNode(id: string, ctx?: OperationContext): Promise<void> {
    return this.#onDomain(id, ctx, async (virsh) => {
      const state = await this.#domstate(virsh, id);
      const wake = state === 'paused' ? 'resume' : state === 'pmsuspended' ? 'dompmwakeup' : undefined;
      if (wake) {
        ctx?.log?.(`waking ${state} domain ${id} (virsh ${wake})`);
        await virsh.run([wake, id]);
        return;
      }
      if (state !== 'shut off' && state !== 'crashed') return;
      ctx?.log?.(`starting domain ${id}`);
      await virsh.run(['start', id]).catch((err: unknown) => {
        if (!alreadyThere(err, /already active/i)) throw err;
      });
    });
  }

  /** ACPI shutdown, waiting up to the timeout; then `destroy` when the settings allow it. */
  stopNode(id: string, ctx?: OperationContext): Promise<void> {
    return this.#onDomain(id, ctx, async (virsh) => {
      const state = await this.#domstate(virsh, id);
      if (state === 'shut off') return;
      // A paused or suspended guest cannot answer ACPI: straight to destroy.
      const acpi = state !== 'paused' && state !== 'pmsuspended';
      if (acpi && (await this.#shutdown(virsh, id, ctx))) return;
      if (acpi && !this.#settings.forceStopAfterTimeout) {
        throw new TransientError(
          `Domain ${id} did not shut down within ${this.#settings.shutdownTimeoutSeconds} s and forced stop is off`,
          { providerCode: 'shutdown-timeout' },
        );
      }
      ctx?.log?.(`forcing domain ${id} off (virsh destroy)`);
      await this.#destroy(virsh, id);
    });
  }

  /** Stops the domain, then undefines it, deleting only the volumes Overmind cloned for it. */
  destroyNode(id: string, ctx?: OperationContext): Promise<void> {
    return this.#onDomain(id, ctx, async (virsh) => {
      const [report] = await domainReports(virsh, { uuids: [id], addressSource: this.#settings.addressSource });
      if (!report) throw new NotFoundError(`libvirt domain ${id} does not exist`, { status: 404 });
      if (parseDomState(report.domstate).raw !== 'shut off') {
        ctx?.log?.(`stopping domain ${id} (virsh destroy)`);
        await this.#destroy(virsh, id);
      }
      const owned = report.info.overmind?.volumes ?? [];
      const targets = report.info.disks
        .filter((d) => d.target && owned.some((v) => v.pool === d.pool && v.name === d.volume))
        .map((d) => d.target!);
      const args = ['undefine', id, '--managed-save', '--snapshots-metadata', '--checkpoints-metadata', '--nvram'];
      if (targets.length) args.push('--storage', targets.join(','));
      ctx?.log?.(`undefining domain ${id}${targets.length ? ` and deleting its cloned disk(s) ${targets.join(', ')}` : ''}`);
      await virsh.run(args).catch((err: unknown) => {
        // A transient domain (started without a definition) is gone once destroyed.
        if (!(err instanceof NotFoundError)) throw err;
      });
    });
  }

  async listImages(ctx?: OperationContext, query?: ImageQuery): Promise<ProviderImage[]> {
    const { storagePool, imagePrefix } = this.#settings;
    const volumes = await this.#host.session(ctx, (virsh) => volumeReports(virsh, storagePool, imagePrefix));
    const images = [
      { id: DISKLESS_IMAGE, name: 'No disk (diskless)', os: null, extra: { diskless: true } },
      ...volumes.map((v) => this.#image(v)),
    ];
    const search = query?.search?.toLowerCase();
    return search ? images.filter((i) => i.id.toLowerCase() === search || i.name.toLowerCase().includes(search)) : images;
  }

  async listSizes(): Promise<ProviderSize[]> {
    return this.#settings.sizes.map((s) => toProviderSize(s, this.#settings.defaultMemoryMb));
  }

  async listLocations(): Promise<ProviderLocation[]> {
    const { host, uri, storagePool, network } = this.#settings;
    return [{ id: host, name: `${host} (libvirt)`, country: null, extra: { uri, storagePool, network } }];
  }

  #image(v: VolumeInfo): ProviderImage {
    const name = v.name.slice(this.#settings.imagePrefix.length).replace(/\.(img|raw|qcow2|vmdk|vdi)$/i, '');
    return {
      id: v.name,
      name,
      os: null,
      extra: { pool: this.#settings.storagePool, format: v.format, capacityBytes: v.capacityBytes, path: v.path ?? null },
    };
  }

  #onDomain(id: string, ctx: OperationContext | undefined, fn: (virsh: VirshShell) => Promise<void>): Promise<void> {
    // Ids are domain UUIDs: anything else cannot name a domain and never reaches virsh.
    if (!isUuid(id)) return Promise.reject(new NotFoundError(`libvirt domain ${id} does not exist`, { status: 404 }));
    return this.#host.session(ctx, fn);
  }

  async #domstate(virsh: VirshShell, id: string): Promise<string> {
    return parseDomState(await virsh.run(['domstate', id])).raw;
  }

  async #destroy(virsh: VirshShell, id: string): Promise<void> {
    await virsh.run(['destroy', id]).catch((err: unknown) => {
      if (!alreadyThere(err, /not running/i)) throw err;
    });
  }

  /** Sends the ACPI shutdown and polls; true once the domain is off, false after the timeout. */
  async #shutdown(virsh: VirshShell, id: string, ctx?: OperationContext): Promise<boolean> {
    ctx?.log?.(`asking domain ${id} to shut down (ACPI)`);
    await virsh.run(['shutdown', id]).catch((err: unknown) => {
      if (!alreadyThere(err, /not running/i)) throw err;
    });
    const deadline = Date.now() + this.#settings.shutdownTimeoutSeconds * 1000;
    for (;;) {
      if ((await this.#domstate(virsh, id)) === 'shut off') return true;
      if (Date.now() >= deadline) break;
      await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), undefined, { signal: ctx?.signal });
    }
    ctx?.log?.(`domain ${id} still running after ${this.#settings.shutdownTimeoutSeconds} s`);
    return false;
  }
}
