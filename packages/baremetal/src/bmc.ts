/** One interface over IPMI and Redfish BMCs, so the driver maps node actions without caring which. */
import type { BootDevice, OperationContext, SensorReading } from '@overmind/provider';
import { IpmiBmc } from './ipmi-bmc.js';
import type { BmcRegistration } from './node-registration.js';
import { RedfishBmc } from './redfish-bmc.js';

export type BmcPowerState = 'on' | 'off' | 'poweringOn' | 'poweringOff' | 'unknown';

/** on / off (hard) / soft (ACPI shutdown) / cycle (off, then on) / reset (warm, power stays on). */
export type PowerAction = 'on' | 'off' | 'soft' | 'cycle' | 'reset';

export interface Bmc {
  /** `host:port` or the Redfish URL: safe for logs. */
  readonly endpoint: string;
  powerState(ctx?: OperationContext): Promise<BmcPowerState>;
  power(action: PowerAction, ctx?: OperationContext): Promise<void>;
  /** Next boot only. */
  setBootDevice(device: BootDevice, ctx?: OperationContext): Promise<void>;
  readSensors(ctx?: OperationContext): Promise<SensorReading[]>;
  /** Ends what the BMC keeps for us (a Redfish session); safe to call twice. */
  close(): Promise<void>;
}

export interface BmcOptions {
  /** ipmitool binary: a deployment choice, never a per-provider setting. */
  ipmitoolPath: string;
  /** One BMC call. */
  timeoutMs: number;
  /** Extra attempts after a timeout. */
  retries: number;
}

export function openBmc(registration: BmcRegistration, options: BmcOptions): Bmc {
  return registration.type === 'ipmi' ? new IpmiBmc(registration, options) : new RedfishBmc(registration, options);
}

/** Opens a BMC for the steps of one operation and always closes it. */
export async function withBmc<T>(registration: BmcRegistration, options: BmcOptions, fn: (bmc: Bmc) => Promise<T>): Promise<T> {
  const bmc = openBmc(registration, options);
  try {
    return await fn(bmc);
  } finally {
    await bmc.close();
  }
}
