import { CLOUD_CAPABILITIES, type ProviderPlugin } from '@overmind/provider';
import { OpenStackDriver } from './openstack-driver.js';
import { OPENSTACK_DEFAULTS, type OpenStackCredentials, type OpenStackSettings } from './openstack-settings.js';

const text = (title: string, extra: Record<string, unknown> = {}) => ({ type: 'string', minLength: 1, maxLength: 255, title, ...extra });

export const openstackPlugin: ProviderPlugin<OpenStackCredentials, OpenStackSettings> = {
  kind: 'openstack',
  displayName: 'OpenStack',
  description:
    'Any OpenStack cloud through Keystone v3, Nova, Glance and Neutron: create, reboot, start, stop and delete ' +
    'servers (with a floating IP if asked), and list images, flavors, availability zones and networks. Authenticates with a password scoped ' +
    'to a project, or with an application credential.',
  credentialSchema: {
    type: 'object',
    oneOf: [
      {
        title: 'Password',
        type: 'object',
        additionalProperties: false,
        required: ['authType', 'username', 'password'],
        anyOf: [{ required: ['projectId'] }, { required: ['projectName'] }],
        properties: {
          authType: { const: 'password' },
          username: text('User name'),
          password: text('Password', { maxLength: 1024, writeOnly: true }),
          userDomainName: text('User domain', { default: 'Default' }),
          projectId: text('Project id'),
          projectName: text('Project name'),
          projectDomainName: text('Project domain', { default: 'Default' }),
        },
      },
      {
        title: 'Application credential',
        type: 'object',
        additionalProperties: false,
        required: ['authType', 'applicationCredentialId', 'applicationCredentialSecret'],
        properties: {
          authType: { const: 'applicationCredential' },
          applicationCredentialId: text('Application credential id'),
          applicationCredentialSecret: text('Application credential secret', { maxLength: 1024, writeOnly: true }),
        },
      },
    ],
  },
  settingsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['authUrl'],
    properties: {
      authUrl: { type: 'string', format: 'uri', title: 'Keystone URL', examples: ['https://keystone.example.com:5000/v3'] },
      region: text('Region'),
      interface: { enum: ['public', 'internal', 'admin'], default: OPENSTACK_DEFAULTS.interface, title: 'Endpoint interface' },
      computeApiVersion: {
        type: 'string',
        pattern: '^2\\.\\d+$',
        default: OPENSTACK_DEFAULTS.computeApiVersion,
        title: 'Compute microversion',
      },
      networkIds: { type: 'array', items: text('Network id'), maxItems: 16, title: 'Networks for new servers' },
      floatingIp: { type: 'boolean', default: false, title: 'Give new servers a floating IP' },
      floatingNetworkId: text('External network for floating IPs'),
      pollIntervalMs: { type: 'integer', minimum: 10, maximum: 60_000, default: 3000, title: 'Action poll interval (ms)' },
      actionTimeoutMs: { type: 'integer', minimum: 100, maximum: 3_600_000, default: 600_000, title: 'Action timeout (ms)' },
      requestTimeoutMs: { type: 'integer', minimum: 100, maximum: 300_000, default: 30_000, title: 'Request timeout (ms)' },
      pageSize: { type: 'integer', minimum: 1, maximum: 1000, default: 100, title: 'Page size' },
    },
  },
  // The password goes to authUrl. The token it returns goes to the endpoints of that Keystone's own
  // catalog (region and interface only choose among them): whoever answers at authUrl already holds
  // the password, so trusting its catalog adds no one (see the driver README).
  endpointSettings: ['authUrl'],
  capabilities: [...CLOUD_CAPABILITIES, 'powerCycle', 'userData', 'loadBalancers'],
  createDriver: (config) => new OpenStackDriver(config),
};
