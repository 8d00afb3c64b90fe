import { createHash } from 'node:crypto';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeImages,
  paginateDescribeInstanceTypes,
  paginateDescribeInstances,
  type DescribeImagesCommandInput,
  type EC2Client,
  type Filter,
  type RunInstancesCommandInput,
  type Tag,
} from '@aws-sdk/client-ec2';
import {
  NotFoundError,
  ProviderError,
  type CreateNodeRequest,
  type DriverConfig,
  type ImageQuery,
  type LoadBalancerDriver,
  type OperationContext,
  type ProviderDriver,
  type ProviderImage,
  type ProviderLocation,
  type ProviderNode,
  type ProviderSize,
} from '@overmind/provider';
import { collectPages, createEc2Client, ec2Call, sendOptions, type Ec2Credentials, type Ec2Settings } from './ec2-client.js';
import { ensureKeyPair } from './ec2-key-pairs.js';
import { createElbBalancers, createElbClient } from './elb-balancers.js';
import { mapAvailabilityZone, mapImage, mapInstance, mapInstanceType } from './ec2-mapper.js';

export const IDEMPOTENCY_TAG = 'overmind:idempotency-key';
const AMI_ID = /^ami-[0-9a-f]{8,17}$/;

/** EC2 client tokens are at most 64 ASCII characters; longer keys are hashed to 64 hex digits. */
export function clientToken(idempotencyKey: string): string {
  return /^[\x20-\x7e]{1,64}$/.test(idempotencyKey)
    ? idempotencyKey
    : createHash('sha256').update(idempotencyKey).digest('hex');
}

export class Ec2Driver implements ProviderDriver {
  readonly #client: EC2Client;
  readonly #settings: Ec2Settings;
  readonly #elb: ElasticLoadBalancingV2Client;
  /** Elastic Load Balancing v2 balancers of the same account and region. */
  readonly balancers: LoadBalancerDriver;

  constructor(config: DriverConfig<Ec2Credentials, Ec2Settings>) {
    this.#settings = config.settings;
    this.#client = createEc2Client(config.credentials, config.settings);
    this.#elb = createElbClient(config.credentials, config.settings);
    this.balancers = createElbBalancers(this.#elb);
  }

  async validateCredentials(ctx?: OperationContext): Promise<void> {
    await ec2Call('DescribeAvailabilityZones', () =>
      this.#client.send(new DescribeAvailabilityZonesCommand({}), sendOptions(ctx)),
    );
  }

  async listNodes(ctx?: OperationContext): Promise<ProviderNode[]> {
    return (await this.#describeInstances({}, 1000, ctx)).map(mapInstance);
  }

  async getNode(id: string, ctx?: OperationContext): Promise<ProviderNode | null> {
    try {
      const [instance] = await this.#describeInstances({ InstanceIds: [id] }, undefined, ctx);
      return instance ? mapInstance(instance) : null;
    } catch (err) {
      if (err instanceof NotFoundError || (err instanceof ProviderError && err.providerCode === 'InvalidInstanceID.Malformed')) {
        return null;
      }
      throw err;
    }
  }

  async createNode(request: CreateNodeRequest, ctx?: OperationContext): Promise<ProviderNode> {
    const keyName = request.sshPublicKey ? await ensureKeyPair(this.#client, request.sshPublicKey, ctx) : undefined;
    const tags: Tag[] = Object.entries({
      ...request.tags,
      Name: request.name,
      [IDEMPOTENCY_TAG]: request.idempotencyKey,
    }).map(([Key, Value]) => ({ Key, Value }));
    const input: RunInstancesCommandInput = {
      ImageId: request.imageId,
      InstanceType: request.sizeId as RunInstancesCommandInput['InstanceType'],
      MinCount: 1,
      MaxCount: 1,
      Placement: { AvailabilityZone: request.locationId },
      // EC2 hands back the first reservation for a token it has seen, so a retried create is a no-op.
      ClientToken: clientToken(request.idempotencyKey),
      TagSpecifications: [{ ResourceType: 'instance', Tags: tags }],
      ...(keyName ? { KeyName: keyName } : {}),
      ...(request.userData ? { UserData: Buffer.from(request.userData, 'utf8').toString('base64') } : {}),
      ...networkOptions(request.extra),
    };
    const out = await ec2Call('RunInstances', () => this.#client.send(new RunInstancesCommand(input), sendOptions(ctx)));
    const instance = out.Instances?.[0];
    if (!instance?.InstanceId) throw new ProviderError('EC2 RunInstances answered without an instance');
    ctx?.log?.(`EC2 instance ${instance.InstanceId} launched (reservation ${out.ReservationId ?? '?'})`);
    const node = mapInstance(instance);
    return { ...node, name: node.name === node.id ? request.name : node.name };
  }

  async rebootNode(id: string, ctx?: OperationContext): Promise<void> {
    await ec2Call('RebootInstances', () =>
      this.#client.send(new RebootInstancesCommand({ InstanceIds: [id] }), sendOptions(ctx)),
    );
  }

  async startNode(id: string, ctx?: OperationContext): Promise<void> {
    await ec2Call('StartInstances', () =>
      this.#client.send(new StartInstancesCommand({ InstanceIds: [id] }), sendOptions(ctx)),
    );
  }

  async stopNode(id: string, ctx?: OperationContext): Promise<void> {
    await ec2Call('StopInstances', () =>
      this.#client.send(new StopInstancesCommand({ InstanceIds: [id] }), sendOptions(ctx)),
    );
  }

  async destroyNode(id: string, ctx?: OperationContext): Promise<void> {
    await ec2Call('TerminateInstances', () =>
      this.#client.send(new TerminateInstancesCommand({ InstanceIds: [id] }), sendOptions(ctx)),
    );
  }

  async listImages(ctx?: OperationContext, query?: ImageQuery): Promise<ProviderImage[]> {
    const search = query?.search?.trim();
    if (search && AMI_ID.test(search)) return this.#imageById(search, ctx);
    const filters: Filter[] = [{ Name: 'state', Values: ['available'] }];
    if (this.#settings.imageNameFilter) filters.push({ Name: 'name', Values: [this.#settings.imageNameFilter] });
    if (search) filters.push({ Name: 'name', Values: [`*${search}*`] });
    const owners = [...new Set(['self', ...(this.#settings.imageOwners ?? [])])];
    return this.#describeImages({ Owners: owners, Filters: filters }, 1000, ctx);
  }

  async listSizes(ctx?: OperationContext): Promise<ProviderSize[]> {
    const pages = paginateDescribeInstanceTypes({ client: this.#client, pageSize: 100 }, {}, sendOptions(ctx));
    const types = await collectPages('DescribeInstanceTypes', pages, (page) => page.InstanceTypes);
    return types.map(mapInstanceType);
  }

  async listLocations(ctx?: OperationContext): Promise<ProviderLocation[]> {
    const out = await ec2Call('DescribeAvailabilityZones', () =>
      this.#client.send(new DescribeAvailabilityZonesCommand({}), sendOptions(ctx)),
    );
    return (out.AvailabilityZones ?? []).map(mapAvailabilityZone);
  }

  async close(): Promise<void> {
    this.#client.destroy();
    this.#elb.destroy();
  }

  /** An exact AMI id is looked up whatever its owner: it names one image, not a catalog. */
  async #imageById(imageId: string, ctx?: OperationContext): Promise<ProviderImage[]> {
    try {
      return await this.#describeImages({ ImageIds: [imageId] }, undefined, ctx);
    } catch (err) {
      if (err instanceof NotFoundError) return [];
      throw err;
    }
  }

  async #describeImages(input: DescribeImagesCommandInput, pageSize: number | undefined, ctx?: OperationContext) {
    const pages = paginateDescribeImages({ client: this.#client, pageSize }, input, sendOptions(ctx));
    return (await collectPages('DescribeImages', pages, (page) => page.Images)).map(mapImage);
  }

  /** Every instance on every page, terminated ones included: a sync must see them all. */
  #describeInstances(input: { InstanceIds?: string[] }, pageSize: number | undefined, ctx?: OperationContext) {
    const pages = paginateDescribeInstances({ client: this.#client, pageSize }, input, sendOptions(ctx));
    return collectPages('DescribeInstances', pages, (page) =>
      (page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []),
    );
  }
}

/** Optional VPC placement from `request.extra`: `subnetId` and `securityGroupIds`. */
function networkOptions(extra: CreateNodeRequest['extra']): Partial<RunInstancesCommandInput> {
  const out: Partial<RunInstancesCommandInput> = {};
  if (typeof extra?.subnetId === 'string') out.SubnetId = extra.subnetId;
  const groups = extra?.securityGroupIds;
  if (Array.isArray(groups) && groups.every((g) => typeof g === 'string')) out.SecurityGroupIds = groups;
  return out;
}
