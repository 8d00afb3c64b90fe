/**
 * Node actions that map onto what the server has: a BMC for power, boot device and sensors; without
 * one, only a reboot, through `shutdown -r now` over SSH.
 */
import { NotSupportedError, ProviderError, type BootDevice, type OperationContext, type SensorReading } from '@overmind/provider';
import { SshConnectionLostError } from '@overmind/ssh';
import { withBmc, type BmcOptions, type PowerAction } from './bmc.js';
import type { BmcRegistration } from './node-registration.js';
import type { NodeSsh, ResolvedNode } from './node-ssh.js';
import type { PowerActionRecord } from './node-view.js';

export const REBOOT_COMMAND = 'shutdown -r now';
const REBOOT_TIMEOUT_MS = 60_000;

type SaveState = (id: string, patch: Record<string, unknown>) => Promise<void>;

const RECORDED: Partial<Record<PowerAction, PowerActionRecord['action']>> = { on: 'on', cycle: 'cycle', off: 'off', soft: 'soft' };

export class NodePower {
  constructor(
    private readonly ssh: NodeSsh,
    private readonly bmcOptions: BmcOptions,
    private readonly saveState: SaveState,
  ) {}

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

  async act(node: ResolvedNode, action: PowerAction, ctx?: OperationContext): Promise<void> {
    await withBmc(this.requireBmc(node, `power ${action}`), this.bmcOptions, (bmc) => bmc.power(action, ctx));
    const recorded = RECORDED[action];
    if (recorded) await this.record(node, recorded);
  }

  async setBootDevice(node: ResolvedNode, device: BootDevice, ctx?: OperationContext): Promise<void> {
    await withBmc(this.requireBmc(node, 'set the boot device'), this.bmcOptions, (bmc) => bmc.setBootDevice(device, ctx));
  }

  async readSensors(node: ResolvedNode, ctx?: OperationContext): Promise<SensorReading[]> {
    return withBmc(this.requireBmc(node, 'read sensors'), this.bmcOptions, (bmc) => bmc.readSensors(ctx));
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
