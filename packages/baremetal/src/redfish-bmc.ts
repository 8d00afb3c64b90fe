/** Node power, boot override and sensors through a Redfish BMC (ComputerSystem and its Chassis). */
import { NotSupportedError, remoteMessage, type BootDevice, type OperationContext, type SensorReading } from '@overmind/provider';
import { BmcRequestError } from './baremetal-errors.js';
import type { Bmc, BmcOptions, BmcPowerState, PowerAction } from './bmc.js';
import type { RedfishRegistration } from './node-registration.js';
import { RedfishHttp } from './redfish-http.js';

type Json = Record<string, unknown>;

/** ResetType values in order of preference; the BMC's AllowableValues decide which is sent. */
export const RESET_TYPES: Record<PowerAction, readonly string[]> = {
  on: ['On', 'ForceOn'],
  off: ['ForceOff'],
  soft: ['GracefulShutdown'],
  cycle: ['PowerCycle', 'ForceRestart'],
  reset: ['ForceRestart', 'GracefulRestart'],
};

const BOOT_TARGETS: Record<BootDevice, string> = { pxe: 'Pxe', disk: 'Hdd', bios: 'BiosSetup' };

const POWER_STATES: Record<string, BmcPowerState> = { On: 'on', Off: 'off', PoweringOn: 'poweringOn', PoweringOff: 'poweringOff', Paused: 'on' };

const THRESHOLDS: Record<string, string> = {
  LowerThresholdFatal: 'lowerNonRecoverable',
  LowerThresholdCritical: 'lowerCritical',
  LowerThresholdNonCritical: 'lowerNonCritical',
  UpperThresholdNonCritical: 'upperNonCritical',
  UpperThresholdCritical: 'upperCritical',
  UpperThresholdFatal: 'upperNonRecoverable',
};

function odataId(value: unknown): string | undefined {
  const id = (value as Json | undefined)?.['@odata.id'];
  return typeof id === 'string' ? id : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

export class RedfishBmc implements Bmc {
  readonly endpoint: string;
  private readonly http: RedfishHttp;
  private systemPath: string | undefined;

  constructor(
    private readonly registration: RedfishRegistration,
    options: BmcOptions,
  ) {
    this.http = new RedfishHttp(registration, options);
    this.endpoint = registration.url;
  }

  async powerState(ctx?: OperationContext): Promise<BmcPowerState> {
    const system = await this.system(ctx);
    return POWER_STATES[String(system.PowerState)] ?? 'unknown';
  }

  async power(action: PowerAction, ctx?: OperationContext): Promise<void> {
    const system = await this.system(ctx);
    const reset = (system.Actions as Json | undefined)?.['#ComputerSystem.Reset'] as Json | undefined;
    const target = typeof reset?.target === 'string' ? reset.target : undefined;
    if (!target) throw new NotSupportedError(`BMC ${this.endpoint}: the system offers no ComputerSystem.Reset action`);
    const allowed = strings(reset!['ResetType@Redfish.AllowableValues']) ?? (await this.actionInfoValues(reset!, ctx));
    const candidates = RESET_TYPES[action];
    const resetType = allowed ? candidates.find((c) => allowed.includes(c)) : candidates[0];
    if (!resetType) {
      throw new NotSupportedError(`BMC ${this.endpoint} cannot power ${action}: it allows only ${remoteMessage(allowed!.join(', '), 200) ?? 'nothing'}`);
    }
    const response = await this.http.send('POST', target, { ResetType: resetType }, ctx);
    ctx?.log?.(`BMC ${this.endpoint}: ComputerSystem.Reset ${resetType} accepted (${response.status})`);
  }

  async setBootDevice(device: BootDevice, ctx?: OperationContext): Promise<void> {
    const system = await this.system(ctx);
    const target = BOOT_TARGETS[device];
    const allowed = strings((system.Boot as Json | undefined)?.['BootSourceOverrideTarget@Redfish.AllowableValues']);
    if (allowed && !allowed.includes(target)) {
      throw new NotSupportedError(`BMC ${this.endpoint} cannot boot from ${target}: it allows only ${remoteMessage(allowed.join(', '), 200) ?? 'nothing'}`);
    }
    const etag = system['@odata.etag'];
    await this.http.send(
      'PATCH',
      this.systemPath!,
      { Boot: { BootSourceOverrideTarget: target, BootSourceOverrideEnabled: 'Once' } },
      ctx,
      typeof etag === 'string' ? { 'If-Match': etag } : {},
    );
    ctx?.log?.(`BMC ${this.endpoint}: next boot from ${target}`);
  }

  /** Temperatures and fans from the system's first chassis (Thermal resource). */
  async readSensors(ctx?: OperationContext): Promise<SensorReading[]> {
    const system = await this.system(ctx);
    const chassisPath = odataId(list((system.Links as Json | undefined)?.Chassis)[0]);
    if (!chassisPath) return [];
    const chassis = (await this.http.get(chassisPath, ctx)) as Json;
    const thermalPath = odataId(chassis.Thermal);
    if (!thermalPath) return [];
    const thermal = (await this.http.get(thermalPath, ctx)) as Json;
    return [
      ...list(thermal.Temperatures).map((t) => this.reading(t as Json, 'ReadingCelsius', 'degrees C')),
      ...list(thermal.Fans).map((f) => this.reading(f as Json, 'Reading', typeof (f as Json).ReadingUnits === 'string' ? String((f as Json).ReadingUnits) : 'RPM')),
    ];
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private reading(item: Json, valueKey: string, unit: string): SensorReading {
    const status = (item.Status ?? {}) as Json;
    const health = String(status.Health ?? '').toLowerCase();
    const present = status.State === undefined || status.State === 'Enabled';
    const value = typeof item[valueKey] === 'number' && present ? (item[valueKey] as number) : null;
    const thresholds: Record<string, number> = {};
    for (const [key, name] of Object.entries(THRESHOLDS)) if (typeof item[key] === 'number') thresholds[name] = item[key] as number;
    return {
      name: typeof item.Name === 'string' ? item.Name : String(item.MemberId ?? 'sensor'),
      value,
      unit,
      status: !present || value === null ? 'unknown' : health === 'ok' ? 'ok' : health === 'warning' ? 'warning' : health === 'critical' ? 'critical' : 'unknown',
      extra: { ...(Object.keys(thresholds).length ? { thresholds } : {}), ...(status.State ? { state: status.State } : {}) },
    };
  }

  /** AllowableValues published through a separate ActionInfo resource instead of inline. */
  private async actionInfoValues(reset: Json, ctx?: OperationContext): Promise<string[] | undefined> {
    const infoPath = reset['@Redfish.ActionInfo'];
    if (typeof infoPath !== 'string') return undefined;
    const info = (await this.http.get(infoPath, ctx)) as Json;
    const parameter = list(info.Parameters).find((p) => (p as Json).Name === 'ResetType') as Json | undefined;
    return strings(parameter?.AllowableValues);
  }

  /** The ComputerSystem: the one the node names, or the only one the BMC has. */
  private async system(ctx?: OperationContext): Promise<Json> {
    if (!this.systemPath) {
      const root = (await this.http.getPublic('/redfish/v1/', ctx)) as Json | undefined;
      const collectionPath = odataId(root?.Systems) ?? '/redfish/v1/Systems';
      const collection = (await this.http.get(collectionPath, ctx)) as Json;
      const members = list(collection.Members).map(odataId).filter((m): m is string => m !== undefined);
      const wanted = this.registration.systemId;
      const chosen = wanted ? members.find((m) => m.replace(/\/$/, '').endsWith(`/${wanted}`)) : members.length === 1 ? members[0] : undefined;
      if (!chosen) {
        const ids = remoteMessage(members.map((m) => m.replace(/\/$/, '').split('/').pop()).join(', '), 200) ?? 'none';
        throw new BmcRequestError(
          wanted
            ? `BMC ${this.endpoint} has no system "${wanted}" (it has: ${ids})`
            : `BMC ${this.endpoint} manages several systems (${ids}): set bmc.systemId`,
          { providerCode: 'system_not_found' },
        );
      }
      this.systemPath = chosen;
    }
    return (await this.http.get(this.systemPath, ctx)) as Json;
  }
}
