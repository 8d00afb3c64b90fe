/** Node power, boot device and sensors through an IPMI BMC (ipmitool over RMCP+). */
import type { BootDevice, OperationContext, SensorReading } from '@overmind/provider';
import { BmcRequestError } from './baremetal-errors.js';
import type { Bmc, BmcOptions, BmcPowerState, PowerAction } from './bmc.js';
import { IpmiTool } from './ipmi-tool.js';
import { parseSensorTable } from './ipmi-sensors.js';
import type { IpmiRegistration } from './node-registration.js';

const POWER_ARGS: Record<PowerAction, string> = { on: 'on', off: 'off', soft: 'soft', cycle: 'cycle', reset: 'reset' };
const BOOT_ARGS: Record<BootDevice, string> = { pxe: 'pxe', disk: 'disk', bios: 'bios' };

export class IpmiBmc implements Bmc {
  readonly endpoint: string;
  private readonly tool: IpmiTool;

  constructor(registration: IpmiRegistration, options: BmcOptions) {
    this.tool = new IpmiTool(registration, options);
    this.endpoint = this.tool.endpoint;
  }

  async powerState(ctx?: OperationContext): Promise<BmcPowerState> {
    const out = await this.tool.run(['chassis', 'power', 'status'], ctx);
    const match = /Chassis Power is (on|off)/i.exec(out);
    if (!match) throw new BmcRequestError(`BMC ${this.endpoint} gave an unreadable power status: ${out.trim().slice(0, 200)}`);
    return match[1]!.toLowerCase() === 'on' ? 'on' : 'off';
  }

  async power(action: PowerAction, ctx?: OperationContext): Promise<void> {
    const out = await this.tool.run(['chassis', 'power', POWER_ARGS[action]], ctx);
    ctx?.log?.(`BMC ${this.endpoint}: ${out.trim() || `power ${action} sent`}`);
  }

  async setBootDevice(device: BootDevice, ctx?: OperationContext): Promise<void> {
    const out = await this.tool.run(['chassis', 'bootdev', BOOT_ARGS[device]], ctx);
    ctx?.log?.(`BMC ${this.endpoint}: ${out.trim() || `boot device ${device} set`}`);
  }

  async readSensors(ctx?: OperationContext): Promise<SensorReading[]> {
    return parseSensorTable(await this.tool.run(['sensor'], ctx));
  }

  async close(): Promise<void> {
    // Every ipmitool run opens and closes its own RMCP+ session.
  }
}
