/**
 * The `dedicated` driver: servers registered by address, reached over SSH, powered through their BMC.
 * Nodes live in the API's inventory; the driver keeps only non-secret state there (pinned host key,
 * facts, last power action).
 */
import pLimit from 'p-limit';
import ssh2 from 'ssh2';
import {
  InvalidCredentialsError,
  NotFoundError,
  ProviderError,
  type BootDevice,
  type CommandResult,
  type DriverConfig,
  type NodeCommandResult,
  type NodeFacts,
  type NodeInventory,
  type NodeSession,
  type OperationContext,
  type ProviderDriver,
  type ProviderNode,
  type RegisteredNode,
  type RegisteredProviderNode,
  type RegisterNodeRequest,
  type RunCommandOptions,
  type SensorReading,
} from '@overmind/provider';
import { SshPool, normalizeFingerprint } from '@overmind/ssh';
import { withBmc, type BmcOptions, type BmcPowerState } from './bmc.js';
import { runOnNodes } from './command-runner.js';
import { resolveSettings, type DedicatedCredentials, type DedicatedSettings } from './dedicated-schemas.js';
import { DefaultsScope } from './defaults-scope.js';
import { gatherFacts } from './node-facts.js';
import { NodePower } from './node-power.js';
import { parseRegistration, type RackDefaults } from './node-registration.js';
import { NodeSsh, probeSsh, type ResolvedNode } from './node-ssh.js';
import { nodeView, type Observation } from './node-view.js';

/** Deployment choices, not per-provider settings (a settings field naming a binary would be an RCE). */
export interface DedicatedRuntimeOptions {
  /** Defaults to `ipmitool` on the worker's PATH. */
  ipmitoolPath?: string;
}

/** The provider's default logins with the scope its settings give their secrets. */
export function rackDefaults(credentials: DedicatedCredentials | undefined, settings: DedicatedSettings | undefined): RackDefaults {
  return { credentials: credentials ?? {}, scope: new DefaultsScope(resolveSettings(settings ?? {}).defaultCredentialNetworks) };
}

export class DedicatedDriver implements ProviderDriver {
  private readonly credentials: DedicatedCredentials;
  private readonly rack: RackDefaults;
  private readonly settings: Required<DedicatedSettings>;
  private readonly ssh: NodeSsh;
  private readonly bmcOptions: BmcOptions;
  private readonly power: NodePower;

  constructor(
    private readonly config: DriverConfig<DedicatedCredentials, DedicatedSettings>,
    runtime: DedicatedRuntimeOptions = {},
  ) {
    this.credentials = config.credentials ?? {};
    this.settings = resolveSettings(config.settings ?? {});
    this.rack = rackDefaults(this.credentials, config.settings);
    this.bmcOptions = { ipmitoolPath: runtime.ipmitoolPath ?? 'ipmitool', timeoutMs: this.settings.bmcTimeoutMs, retries: this.settings.bmcRetries };
    const pool = new SshPool({ concurrency: this.settings.concurrency });
    this.ssh = new NodeSsh(pool, this.settings.connectTimeoutMs, (node, fingerprint) =>
      this.inventory().saveState(node.record.id, { hostKeyFingerprint: fingerprint, hostKeyPinnedAt: new Date().toISOString() }),
    );
    const { shutdownTimeoutMs, forceStopAfterTimeout, powerTimeoutMs } = this.settings;
    this.power = new NodePower(this.ssh, this.bmcOptions, { shutdownTimeoutMs, forceStopAfterTimeout, powerTimeoutMs }, (id, patch) =>
      this.inventory().saveState(id, patch),
    );
  }

  /** No network: the rack defaults are optional; a default key must at least be readable. */
  async validateCredentials(): Promise<void> {
    const { sshPrivateKey, sshPassphrase } = this.credentials;
    if (!sshPrivateKey) return;
    const parsed = ssh2.utils.parseKey(sshPrivateKey, sshPassphrase);
    if (parsed instanceof Error) {
      throw new InvalidCredentialsError('The default SSH private key cannot be read (wrong passphrase or unsupported format)');
    }
  }

  async listNodes(ctx?: OperationContext): Promise<ProviderNode[]> {
    const records = await this.inventory().list();
    const limit = pLimit(this.settings.concurrency);
    return Promise.all(records.map((record) => limit(() => this.inspect(record, ctx))));
  }

  async getNode(id: string, ctx?: OperationContext): Promise<ProviderNode | null> {
    const record = await this.inventory().get(id);
    return record ? this.inspect(record, ctx) : null;
  }

  async registerNode(request: RegisterNodeRequest, ctx?: OperationContext): Promise<RegisteredProviderNode> {
    const registration = parseRegistration(request.registration, this.rack);
    const driverState: Record<string, unknown> = { registeredAt: new Date().toISOString() };
    const record: RegisteredNode = { id: request.id, name: request.name, registration: request.registration, state: driverState };
    const node: ResolvedNode = { record, registration };
    let power: BmcPowerState | null = null;
    if (registration.bmc) {
      power = await withBmc(registration.bmc, this.bmcOptions, (bmc) => bmc.powerState(ctx));
      ctx?.log?.(`BMC ${registration.bmc.type} answered: power ${power}`);
    }
    if (power === 'off') {
      ctx?.log?.('The server is powered off: its SSH host key is pinned and facts gathered on first use');
      return { ...nodeView(record, registration, { power, sshUp: null }, this.settings.bootTimeoutMs), driverState };
    }
    // The node is not in the inventory yet: the pin goes into the state the API stores with it.
    const facts = await this.ssh.withSession(
      node,
      (session) => {
        ctx?.log?.(`Connected to ${session.endpoint}`);
        return gatherFacts(session, ctx);
      },
      async (_node, fingerprint) => {
        Object.assign(driverState, { hostKeyFingerprint: fingerprint, hostKeyPinnedAt: new Date().toISOString() });
        ctx?.log?.(`Pinned SSH host key ${fingerprint} (first use)`);
      },
    );
    Object.assign(driverState, { facts });
    return { ...nodeView(record, registration, { power, sshUp: true }, this.settings.bootTimeoutMs), driverState };
  }

  async gatherFacts(id: string, ctx?: OperationContext): Promise<NodeFacts> {
    const node = await this.resolve(id);
    const facts = await this.ssh.withSession(node, (session) => gatherFacts(session, ctx));
    await this.inventory().saveState(id, { facts });
    return facts;
  }

  async runCommand(id: string, command: string, options: RunCommandOptions = {}): Promise<CommandResult> {
    const node = await this.resolve(id);
    const log = options.log;
    const result = await this.ssh.withSession(node, (session) =>
      session.exec(command, {
        timeoutMs: options.timeoutMs ?? this.settings.commandTimeoutMs,
        sudo: options.sudo === true,
        signal: options.signal,
        ...(options.env ? { secretEnv: options.env } : {}),
        onStdout: log,
        onStderr: log,
      }),
    );
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  }

  async runCommandOnNodes(ids: readonly string[], command: string, options: RunCommandOptions = {}): Promise<NodeCommandResult[]> {
    return runOnNodes(ids, command, { ...options, timeoutMs: options.timeoutMs ?? this.settings.commandTimeoutMs }, {
      ssh: this.ssh,
      resolve: (id) => this.resolve(id),
    });
  }

  /** The node's registered login through the driver's pool, the host key pinned as for every other operation. */
  async withNodeSession<T>(id: string, fn: (session: NodeSession) => Promise<T>, ctx?: OperationContext): Promise<T> {
    const node = await this.resolve(id);
    return this.ssh.withSession(node, (session) => {
      ctx?.log?.(`connected to ${session.endpoint}`);
      return fn(session);
    });
  }

  async acceptHostKey(id: string, fingerprint: string, ctx?: OperationContext): Promise<void> {
    await this.resolve(id);
    let normalized: string;
    try {
      normalized = normalizeFingerprint(fingerprint);
    } catch (err) {
      throw new ProviderError((err as Error).message, { cause: err });
    }
    await this.inventory().saveState(id, { hostKeyFingerprint: normalized, hostKeyPinnedAt: new Date().toISOString() });
    ctx?.log?.(`Node ${id}: SSH host key ${normalized} accepted`);
  }

  async rebootNode(id: string, ctx?: OperationContext): Promise<void> {
    await this.power.reboot(await this.resolve(id), ctx);
  }

  async startNode(id: string, ctx?: OperationContext): Promise<void> {
    await this.powerOn(id, ctx);
  }

  /** The graceful kind: an ACPI soft off, then a hard power off after `shutdownTimeoutMs` (see NodePower.stop). */
  async stopNode(id: string, ctx?: OperationContext): Promise<void> {
    await this.power.stop(await this.resolve(id), ctx);
  }

  async powerOn(id: string, ctx?: OperationContext): Promise<void> {
    await this.power.act(await this.resolve(id), 'on', ctx);
  }

  async powerOff(id: string, ctx?: OperationContext): Promise<void> {
    await this.power.act(await this.resolve(id), 'off', ctx);
  }

  async softPowerOff(id: string, ctx?: OperationContext): Promise<void> {
    await this.power.act(await this.resolve(id), 'soft', ctx);
  }

  async powerCycle(id: string, ctx?: OperationContext): Promise<void> {
    await this.power.act(await this.resolve(id), 'cycle', ctx);
  }

  async setBootDevice(id: string, device: BootDevice, ctx?: OperationContext): Promise<void> {
    await this.power.setBootDevice(await this.resolve(id), device, ctx);
  }

  async readSensors(id: string, ctx?: OperationContext): Promise<SensorReading[]> {
    return this.power.readSensors(await this.resolve(id), ctx);
  }

  /** Decommission: Overmind stops managing the server. Nothing on it is touched, let alone wiped. */
  async destroyNode(id: string, ctx?: OperationContext): Promise<void> {
    const record = await this.record(id);
    if (!record.state.decommissionedAt) await this.inventory().saveState(id, { decommissionedAt: new Date().toISOString() });
    ctx?.log?.(`Node ${record.name} decommissioned: it keeps running and nothing on it was changed`);
  }

  private async inspect(record: RegisteredNode, ctx?: OperationContext): Promise<ProviderNode> {
    const { bootTimeoutMs, connectTimeoutMs } = this.settings;
    if (record.state.decommissionedAt) return nodeView(record, undefined, { power: null, sshUp: null }, bootTimeoutMs);
    let registration;
    try {
      registration = parseRegistration(record.registration, this.rack);
    } catch (err) {
      return nodeView(record, undefined, { power: null, sshUp: null, registrationError: (err as Error).message }, bootTimeoutMs);
    }
    const bmc = registration.bmc;
    const [power, sshUp] = await Promise.all([
      bmc
        ? // No retries for a status check: a rack of dead BMCs must not stretch a sync.
          withBmc(bmc, { ...this.bmcOptions, retries: 0 }, (b) => b.powerState(ctx)).catch((err: Error) => ({ error: err.message }))
        : Promise.resolve(null),
      probeSsh(registration.address, registration.ssh.port, connectTimeoutMs),
    ]);
    const seen: Observation =
      power !== null && typeof power === 'object' ? { power: 'unknown', sshUp, bmcError: power.error } : { power, sshUp };
    return nodeView(record, registration, seen, bootTimeoutMs);
  }

  private async record(id: string): Promise<RegisteredNode> {
    const record = await this.inventory().get(id);
    if (!record) throw new NotFoundError(`Node ${id} is not registered with this provider`);
    return record;
  }

  private async resolve(id: string): Promise<ResolvedNode> {
    const record = await this.record(id);
    if (record.state.decommissionedAt) throw new NotFoundError(`Node ${record.name} was decommissioned`);
    return { record, registration: parseRegistration(record.registration, this.rack) };
  }

  private inventory(): NodeInventory {
    const inventory = this.config.inventory;
    if (!inventory) throw new ProviderError('The dedicated driver needs the node inventory (DriverConfig.inventory)');
    return inventory;
  }
}
