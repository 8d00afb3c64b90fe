import type { ProviderPlugin } from '@overmind/provider';
import { DedicatedDriver, rackDefaults, type DedicatedRuntimeOptions } from './dedicated-driver.js';
import {
  credentialSchema,
  registrationSchema,
  settingsSchema,
  type DedicatedCredentials,
  type DedicatedSettings,
} from './dedicated-schemas.js';
import { parseRegistration } from './node-registration.js';

/** The plugin, with deployment options (the ipmitool binary) fixed for every driver it creates. */
export function createDedicatedPlugin(runtime: DedicatedRuntimeOptions = {}): ProviderPlugin<DedicatedCredentials, DedicatedSettings> {
  return {
    kind: 'dedicated',
    displayName: 'Dedicated servers',
    description:
      'Servers in your rack or data centre, registered by address. Overmind reaches them over SSH and, when ' +
      'they have one, powers them through their BMC (IPMI or Redfish). Removing a node only stops managing it.',
    credentialSchema,
    settingsSchema,
    registrationSchema,
    // Each node brings its own addresses; the setting that lets the rack's default secrets go to
    // them is the only place this provider's credentials are aimed.
    endpointSettings: ['defaultCredentialNetworks'],
    // Before the node is stored: a registration that would need a default secret at an address out
    // of its scope is refused now, not when its job runs.
    checkRegistration: (registration, config) => {
      parseRegistration(registration, rackDefaults(config.credentials, config.settings));
    },
    capabilities: [
      'listNodes',
      'registerNode',
      'gatherFacts',
      'runCommand',
      'acceptHostKey',
      'rebootNode',
      'startNode',
      'stopNode',
      'destroyNode',
      'powerOn',
      'powerOff',
      'softPowerOff',
      'powerCycle',
      'setBootDevice',
      'readSensors',
      'withNodeSession',
    ],
    createDriver: (config) => new DedicatedDriver(config, runtime),
  };
}

export const dedicatedPlugin = createDedicatedPlugin();
