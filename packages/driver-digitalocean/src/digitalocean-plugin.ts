import { CLOUD_CAPABILITIES, type ProviderPlugin } from '@overmind/provider';
import { DigitalOceanDriver } from './digitalocean-driver.js';
import { DIGITALOCEAN_DEFAULTS, type DigitalOceanCredentials, type DigitalOceanSettings } from './digitalocean-settings.js';

export const digitaloceanPlugin: ProviderPlugin<DigitalOceanCredentials, DigitalOceanSettings> = {
  kind: 'digitalocean',
  displayName: 'DigitalOcean',
  description:
    'DigitalOcean droplets through API v2: create, reboot, power on/off, shut down and destroy droplets, ' +
    'and list images, sizes with prices, and regions. Needs a personal access token.',
  credentialSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['token'],
    properties: {
      token: {
        type: 'string',
        minLength: 1,
        maxLength: 512,
        writeOnly: true,
        title: 'Personal access token',
        description: 'Read and write scopes for droplet, image, size, region, account, ssh_key, tag and actions.',
      },
    },
  },
  settingsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      apiUrl: { type: 'string', format: 'uri', default: DIGITALOCEAN_DEFAULTS.apiUrl, title: 'API URL' },
      pollIntervalMs: { type: 'integer', minimum: 10, maximum: 60_000, default: 3000, title: 'Action poll interval (ms)' },
      actionTimeoutMs: { type: 'integer', minimum: 100, maximum: 3_600_000, default: 300_000, title: 'Action timeout (ms)' },
      requestTimeoutMs: { type: 'integer', minimum: 100, maximum: 300_000, default: 30_000, title: 'Request timeout (ms)' },
      perPage: { type: 'integer', minimum: 1, maximum: 200, default: 200, title: 'Page size' },
    },
  },
  // The token goes to apiUrl (pagination links are rebased onto it, redirects are not followed).
  endpointSettings: ['apiUrl'],
  capabilities: [...CLOUD_CAPABILITIES, 'powerOn', 'powerOff', 'powerCycle', 'userData', 'loadBalancers'],
  createDriver: (config) => new DigitalOceanDriver(config),
};
