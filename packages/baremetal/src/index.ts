export { dedicatedPlugin, createDedicatedPlugin } from './dedicated-plugin.js';
export { DedicatedDriver, rackDefaults, type DedicatedRuntimeOptions } from './dedicated-driver.js';
export { DefaultsScope } from './defaults-scope.js';
export {
  DEDICATED_DEFAULTS,
  credentialSchema,
  registrationSchema,
  settingsSchema,
  type DedicatedCredentials,
  type DedicatedSettings,
} from './dedicated-schemas.js';
export * from './baremetal-errors.js';
export {
  parseRegistration,
  describeBmc,
  type BmcRegistration,
  type IpmiPrivilege,
  type IpmiRegistration,
  type NodeRegistration,
  type RackDefaults,
  type RedfishRegistration,
} from './node-registration.js';
export { openBmc, withBmc, type Bmc, type BmcOptions, type BmcPowerState, type PowerAction } from './bmc.js';
export { IpmiBmc } from './ipmi-bmc.js';
export { IpmiTool, type IpmiToolOptions } from './ipmi-tool.js';
export { parseSensorTable } from './ipmi-sensors.js';
export { RedfishBmc, RESET_TYPES } from './redfish-bmc.js';
export { RedfishHttp, redfishErrorDetail, type RedfishHttpOptions } from './redfish-http.js';
export { FACTS_SCRIPT } from './facts-script.js';
export { parseFacts } from './facts-parser.js';
export { REBOOT_COMMAND } from './node-power.js';
export { deriveState, type Observation, type PowerActionRecord } from './node-view.js';
export { probeSsh } from './node-ssh.js';
