/**
 * Node actions that map onto what the server has: a BMC for power, boot device and sensors; without
 * one, only a reboot, through `shutdown -r now` over SSH.
 *
 * A BMC accepting a power request is not the power changing: each action reads the power status
 * back and fails, saying so, when it did not change in time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { NotSupportedError, ProviderError, type BootDevice, type OperationContext, type SensorReading } from '@overmind/provider';
import { SshConnectionLostError } from '@overmind/ssh';
import { withBmc, type Bmc, type BmcOptions, type BmcPowerState, type PowerAction } from './bmc.js';
import type { BmcRegistration } from './node-registration.js';
import type { NodeSsh, ResolvedNode } from './node-ssh.js';
import type { PowerActionRecord } from './node-view.js';

export const REBOOT_COMMAND = 'shutdown -r now';
const REBOOT_TIMEOUT_MS = 60_000;

type SaveState = (id: string, patch: Record<string, unknown>) => Promise<void>;

const RECORDED: Partial<Record<PowerAction, PowerActionRecord['action']>> = { on: 'on', cycle: 'cycle', off: 'off', soft: 'soft' };
/** The power status a hard action must end in (a cycle ends powered on). A soft off is up to the OS. */
const ENDS_IN: Partial<Record<PowerAction, 'on' | 'off'>> = { on: 'on', off: 'off', cycle: 'on' };
/** Longest pause between power status reads. */
const POWER_POLL_MS = 2000;

export interface PowerTiming {
  /** How long a stop waits for the OS after the ACPI soft off. */
  shutdownTimeoutMs: number;
  /** Then a hard power off, or fail the stop. */
  forceStopAfterTimeout: boolean;
  /** How long a hard power change may take to show in the power status. */
  powerTimeoutMs: number;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

export class NodePower {
  constructor(
    private readonly ssh: NodeSsh,
    private readonly bmcOptions: BmcOptions,
    private readonly timing: PowerTiming,
    private readonly saveState: SaveState,
  ) {}

  /**
   * Stops the server the graceful way, like libvirt's stop: an ACPI soft off, up to
   * `shutdownTimeoutMs` for the OS to power off, then a hard power off when allowed. Fails unless
   * the BMC reads the power off at the end.
   */
  async stop(node: ResolvedNode, ctx?: OperationContext): Promise<void> {
    const name = node.record.name;
    const { shutdownTimeoutMs, forceStopAfterTimeout } = this.timing;
    const recorded = await withBmc(this.requireBmc(node, 'power it off'), this.bmcOptions, async (bmc) => {
      if ((await bmc.powerState(ctx)) === 'off') {
        ctx?.log?.(`${name} is already powered off`);
        return null;
      }
      ctx?.log?.(`Asking the OS of ${name} to shut down: ACPI soft off through the BMC ${bmc.endpoint}`);
      await bmc.power('soft', ctx);
      ctx?.log?.(`Waiting up to ${seconds(shutdownTimeoutMs)} for the power to go off`);
      const power = await this.waitForPower(bmc, 'off', shutdownTimeoutMs, ctx);
      if (power === 'off') {
        ctx?.log?.(`${name} powered off after the soft off`);
        return 'soft' as const;
      }
      ctx?.log?.(`${name} still reads power ${power} ${seconds(shutdownTimeoutMs)} after the soft off: its OS did not shut down`);
      if (!forceStopAfterTimeout) {
        throw new ProviderError(
          `${name} still reads power ${power} ${seconds(shutdownTimeoutMs)} after an ACPI soft off, and forced power off is turned off (forceStopAfterTimeout)`,
          { providerCode: 'shutdown_timeout' },
        );
      }
      ctx?.log?.(`Forcing the power off: hard power off through the BMC ${bmc.endpoint}`);
      await bmc.power('off', ctx);
      await this.expectPower(bmc, node, 'off', 'a hard power off', ctx);
      ctx?.log?.(`${name} is powered off`);
      return 'off' as const;
    });
    if (recorded) await this.record(node, recorded);
  }

  /** Power cycle through the BMC; without one, the OS reboots itself. */
  async reboot(node: ResolvedNode, ctx?: OperationContext): Promise<void> {
    if (node.registration.bmc) return this.act(node, 'cycle', ctx);
    await this.ssh.withSession(node, async (session) => {
      ctx?.log?.(`No BMC: running "${REBOOT_COMMAND}" on ${session.endpoint}`);
      try {
        const result = await session.exec(REBOOT_COMMAND, { sudo: true, timeoutMs: REBOOT_TIMEOUT_MS, onStdout: ctx?.log, onStderr: ctx?.log });
        if (result.exitCode !== 0 && result.exitCode !== null) {
          const said = result.stderr.trim().split('\n').pop() ?? '';
          throw new ProviderError(`"${REBOOT_COMMAND}" on ${session.endpoint} exited with code ${result.exitCode}${said ? `: ${said}` : ''}`);
        }
      } catch (err) {
        // The reboot may take the connection down before the exit status arrives.
        if (!(err instanceof SshConnectionLostError)) throw err;
        ctx?.log?.('The connection closed as the server went down');
      }
    });
    await this.record(node, 'reboot');
  }

  /** Sends one power action; a hard one must show in the power status within `powerTimeoutMs`. */
  async act(node: ResolvedNode, action: PowerAction, ctx?: OperationContext): Promise<void> {
    await withBmc(this.requireBmc(node, `power ${action}`), this.bmcOptions, async (bmc) => {
      await bmc.power(action, ctx);
      const endsIn = ENDS_IN[action];
      if (endsIn) await this.expectPower(bmc, node, endsIn, `power ${action}`, ctx);
    });
    const recorded = RECORDED[action];
    if (recorded) await this.record(node, recorded);
  }

  async setBootDevice(node: ResolvedNode, device: BootDevice, ctx?: OperationContext): Promise<void> {
    await withBmc(this.requireBmc(node, 'set the boot device'), this.bmcOptions, (bmc) => bmc.setBootDevice(device, ctx));
  }

  async readSensors(node: ResolvedNode, ctx?: OperationContext): Promise<SensorReading[]> {
    return withBmc(this.requireBmc(node, 'read sensors'), this.bmcOptions, (bmc) => bmc.readSensors(ctx));
  }

  /** Polls the power status until it reads `want` or `withinMs` passed; returns the last reading. */
  private async waitForPower(bmc: Bmc, want: 'on' | 'off', withinMs: number, ctx?: OperationContext): Promise<BmcPowerState> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const power = await bmc.powerState(ctx);
      const left = deadline - Date.now();
      if (power === want || left <= 0) return power;
      await sleep(Math.min(POWER_POLL_MS, left), undefined, { signal: ctx?.signal });
    }
  }

  private async expectPower(bmc: Bmc, node: ResolvedNode, want: 'on' | 'off', what: string, ctx?: OperationContext): Promise<void> {
    const { powerTimeoutMs } = this.timing;
    const power = await this.waitForPower(bmc, want, powerTimeoutMs, ctx);
    if (power === want) return;
    throw new ProviderError(
      `${node.record.name} still reads power ${power} ${seconds(powerTimeoutMs)} after ${what}: the BMC ${bmc.endpoint} accepted the request but the power did not change`,
      { providerCode: 'power_unchanged' },
    );
  }

  private requireBmc(node: ResolvedNode, what: string): BmcRegistration {
    const bmc = node.registration.bmc;
    if (!bmc) throw new NotSupportedError(`Node ${node.record.name} has no BMC registered (IPMI or Redfish), so Overmind cannot ${what}`);
    return bmc;
  }

  private record(node: ResolvedNode, action: PowerActionRecord['action']): Promise<void> {
    const entry: PowerActionRecord = { action, at: new Date().toISOString() };
    return this.saveState(node.record.id, { lastPowerAction: entry });
  }
}
