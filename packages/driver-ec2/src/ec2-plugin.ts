import { CLOUD_CAPABILITIES, type ProviderPlugin } from '@overmind/provider';
import { DEFAULT_REGION, DEFAULT_REQUEST_TIMEOUT_MS, type Ec2Credentials, type Ec2Settings } from './ec2-client.js';
import { Ec2Driver } from './ec2-driver.js';

export const ec2Plugin: ProviderPlugin<Ec2Credentials, Ec2Settings> = {
  kind: 'ec2',
  displayName: 'Amazon EC2',
  description:
    'Amazon Elastic Compute Cloud, one region per provider. Needs an IAM access key whose policy allows ' +
    'the EC2 actions listed in the driver README; instances are created in the default VPC unless a ' +
    'subnet is given.',
  credentialSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['accessKeyId', 'secretAccessKey'],
    properties: {
      accessKeyId: { type: 'string', minLength: 16, maxLength: 128, pattern: '^[A-Z0-9]+$', title: 'Access key ID' },
      secretAccessKey: { type: 'string', minLength: 1, maxLength: 256, writeOnly: true, title: 'Secret access key' },
      sessionToken: {
        type: 'string',
        minLength: 1,
        maxLength: 4096,
        writeOnly: true,
        title: 'Session token',
        description: 'Only for temporary credentials from AWS STS.',
      },
    },
  },
  settingsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      region: {
        type: 'string',
        pattern: '^[a-z]{2}(-[a-z]+)+-\\d+$',
        default: DEFAULT_REGION,
        title: 'Region',
      },
      endpoint: {
        type: 'string',
        format: 'uri',
        pattern: '^https?://',
        title: 'Endpoint URL',
        description: 'Overrides the regional EC2 endpoint, e.g. a VPC interface endpoint.',
      },
      elbEndpoint: {
        type: 'string',
        format: 'uri',
        pattern: '^https?://',
        title: 'Load balancing endpoint URL',
        description: 'Overrides the regional Elastic Load Balancing (v2) endpoint, e.g. a VPC interface endpoint.',
      },
      imageOwners: {
        type: 'array',
        items: { type: 'string', pattern: '^(self|amazon|aws-marketplace|\\d{12})$' },
        uniqueItems: true,
        default: ['self'],
        title: 'Image owners',
        description: 'Whose images to list besides your own: account ids, "amazon" or "aws-marketplace".',
      },
      imageNameFilter: {
        type: 'string',
        minLength: 1,
        maxLength: 255,
        title: 'Image name filter',
        description: 'EC2 name filter for listed images; * and ? are wildcards, e.g. "ubuntu/images/*24.04*".',
      },
      requestTimeoutMs: {
        type: 'integer',
        minimum: 100,
        maximum: 300000,
        default: DEFAULT_REQUEST_TIMEOUT_MS,
        title: 'Request timeout (ms)',
      },
    },
  },
  // Requests are signed for endpoint; without it, for the region's AWS endpoint (a region can only
  // name an AWS host, so changing it sends nothing outside AWS).
  endpointSettings: ['endpoint', 'elbEndpoint'],
  capabilities: [...CLOUD_CAPABILITIES, 'userData', 'loadBalancers'],
  createDriver: (config) => new Ec2Driver(config),
};
