export { openstackPlugin } from './openstack-plugin.js';
export {
  OPENSTACK_DEFAULTS,
  type OpenStackApplicationCredentials,
  type OpenStackCredentials,
  type OpenStackPasswordCredentials,
  type OpenStackSettings,
} from './openstack-settings.js';
export { OpenStackDriver } from './openstack-driver.js';
export { OpenStackClient, nextPageUrl, type OpenStackClientOptions, type OpenStackService } from './openstack-client.js';
export { authRequest, endpointFor, tokensUrl, type KeystoneSession } from './keystone-auth.js';
export { SERVER_STATES, TASK_STATES, serverState, IDEMPOTENCY_METADATA_KEY } from './openstack-mapper.js';
export { keyFingerprint } from './openstack-keypairs.js';
export type * from './openstack-types.js';
export { createOctaviaBalancers, mapOctaviaMemberState, mapOctaviaState, octaviaTag, type OctaviaLoadBalancer, type OctaviaMember } from './octavia-balancers.js';
export { FLOATING_IP_ID_KEY, FLOATING_IP_KEY, microversionAtLeast } from './openstack-networks.js';
