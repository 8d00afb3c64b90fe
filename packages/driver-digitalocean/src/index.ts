export { digitaloceanPlugin } from './digitalocean-plugin.js';
export { DIGITALOCEAN_DEFAULTS, type DigitalOceanCredentials, type DigitalOceanSettings } from './digitalocean-settings.js';
export { DigitalOceanDriver } from './digitalocean-driver.js';
export { DigitalOceanClient, type DigitalOceanClientOptions, type RateLimit } from './digitalocean-client.js';
export { DROPLET_STATES, dropletState, idempotencyTag, IDEMPOTENCY_TAG_PREFIX } from './digitalocean-mapper.js';
export { md5Fingerprint } from './digitalocean-ssh-keys.js';
export type * from './digitalocean-types.js';
export { createDoBalancers, doBalancerName, mapDoBalancer, mapDoBalancerState, type DoLoadBalancer } from './digitalocean-balancers.js';
