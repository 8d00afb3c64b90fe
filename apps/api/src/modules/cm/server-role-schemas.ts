import { Type } from 'typebox';
import { DateTime, Nullable, Uuid } from '../../lib/schemas.js';
import { NetworkChoiceSchema } from '../providers/provider-schemas.js';
import { CM_KINDS } from './cm-registry.js';

const CatalogId = Type.String({ minLength: 1, maxLength: 512 });
/** Node names are `<prefix>-<n>`: the prefix leaves room for the number within a node name's 63. */
export const NamePrefix = Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'Letters, digits, dot, dash, underscore' });
const RunListItem = Type.String({ minLength: 1, maxLength: 255, description: 'role[web], recipe[nginx::ssl] or nginx' });
const RunList = Type.Array(RunListItem, { maxItems: 100, description: 'Resolved against the kitchen: every item must exist' });
const Attributes = Type.Record(Type.String(), Type.Unknown(), { description: 'Node (normal) attributes, a JSON object. Every observer can read them: secrets go in secretAttributes' });
/** Bounds that keep a role's sealed attributes small. */
export const MAX_SECRET_ATTRIBUTES = 100;
export const MAX_SECRET_ATTRIBUTE_LENGTH = 16_384;
const SecretPath = Type.String({ pattern: '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$', maxLength: 255 });
const SecretValue = Type.String({ maxLength: MAX_SECRET_ATTRIBUTE_LENGTH, writeOnly: true });
const secretsDescription =
  'Secret node (normal) attributes by dotted path, e.g. `{ "mysql.root_password": "..." }`: stored sealed, never returned ' +
  '(the role shows their paths in secretAttributeKeys), merged over attributes only when a node is configured, and ' +
  'masked in job logs. A path must not also be in attributes.';
const SecretAttributes = Type.Record(SecretPath, SecretValue, { additionalProperties: false, maxProperties: MAX_SECRET_ATTRIBUTES, description: secretsDescription });
const SecretAttributesPatch = Type.Record(SecretPath, Type.Union([SecretValue, Type.Null()]), {
  additionalProperties: false,
  maxProperties: MAX_SECRET_ATTRIBUTES,
  description: 'Changes single secret attributes: a string sets the path, null removes it, paths left out keep their values (JSON merge patch).',
});
const Environment = Nullable(Type.String({ minLength: 1, maxLength: 255, description: 'An environment of the kitchen' }));
const Cm = Type.Object(
  {
    kind: Type.Enum(CM_KINDS, { default: 'chef-solo' }),
    settings: Type.Record(Type.String(), Type.Unknown(), {
      default: {},
      description: 'Settings of the CM plugin, e.g. chef-solo: chefSoloCommand, installCommand, sudo, paths (see GET /kitchen)',
    }),
  },
  { additionalProperties: false },
);

export const ConfigMode = Type.Enum(['push', 'pull'], {
  description: '`push`: the worker configures nodes over SSH; `pull`: each node\'s agent converges it (see docs/agent-protocol.md)',
});
const Pull = {
  configMode: Type.Optional(ConfigMode),
  convergeIntervalSeconds: Type.Optional(
    Nullable(Type.Integer({ minimum: 300, maximum: 7 * 86400, description: 'Pull nodes converge again this often, correcting drift; null: only when asked' })),
  ),
  convergeSplaySeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400, description: 'Each node\'s periodic converge is offset by up to this much' })),
};

const SshIn = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z_][a-z0-9_.-]*$' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 22 }),
    privateKey: Type.String({ minLength: 32, maxLength: 16384, writeOnly: true, description: 'PEM/OpenSSH private key; stored sealed, never returned' }),
    passphrase: Type.Optional(Type.String({ maxLength: 1024, writeOnly: true })),
    sudoPassword: Type.Optional(Type.String({ maxLength: 1024, writeOnly: true, description: 'When the user is not root and sudo asks for one' })),
    publicKey: Type.Optional(Type.String({ minLength: 16, maxLength: 16384, pattern: '^(ssh-|ecdsa-)', description: 'Installed on new nodes by their provider' })),
  },
  { additionalProperties: false },
);

const FloatingIp = Nullable(Type.Boolean({ description: "Whether new nodes get a floating IP; null: the provider's default" }));

export const ServerRoleBody = Type.Object(
  {
    name: NamePrefix,
    providerId: Uuid,
    locationId: CatalogId,
    sizeId: CatalogId,
    imageId: CatalogId,
    networkIds: Type.Optional(Nullable(NetworkChoiceSchema)),
    floatingIp: Type.Optional(FloatingIp),
    runList: RunList,
    attributes: Type.Optional(Attributes),
    secretAttributes: Type.Optional(SecretAttributes),
    environment: Type.Optional(Environment),
    cm: Type.Optional(Cm),
    ssh: SshIn,
    ...Pull,
  },
  { additionalProperties: false },
);

export const ServerRolePatch = Type.Object(
  {
    name: Type.Optional(NamePrefix),
    locationId: Type.Optional(CatalogId),
    sizeId: Type.Optional(CatalogId),
    imageId: Type.Optional(CatalogId),
    networkIds: Type.Optional(Nullable(NetworkChoiceSchema)),
    floatingIp: Type.Optional(FloatingIp),
    runList: Type.Optional(RunList),
    attributes: Type.Optional(Attributes),
    secretAttributes: Type.Optional(SecretAttributesPatch),
    environment: Type.Optional(Environment),
    cm: Type.Optional(Cm),
    ssh: Type.Optional(SshIn),
    ...Pull,
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ServerRoleSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    providerId: Uuid,
    locationId: Type.String(),
    sizeId: Type.String(),
    imageId: Type.String(),
    networkIds: Nullable(NetworkChoiceSchema),
    floatingIp: FloatingIp,
    runList: Type.Array(Type.String()),
    attributes: Attributes,
    secretAttributeKeys: Type.Array(Type.String(), { description: 'Paths of the secret attributes that are set, sorted; their values are never returned' }),
    environment: Nullable(Type.String()),
    cm: Type.Object({ kind: Type.String(), settings: Type.Record(Type.String(), Type.Unknown()) }),
    ssh: Type.Object({ username: Type.String(), port: Type.Integer(), publicKey: Type.Optional(Type.String()), hasPrivateKey: Type.Boolean() }),
    configMode: ConfigMode,
    convergeIntervalSeconds: Nullable(Type.Integer()),
    convergeSplaySeconds: Type.Integer(),
    nodeIds: Type.Array(Uuid, { description: 'Nodes of this role (made from it or assigned to it)' }),
    createdBy: Nullable(Uuid),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { title: 'ServerRole' },
);

export const CreateNodesBody = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 50 }),
    namePrefix: Type.Optional(NamePrefix),
  },
  { additionalProperties: false },
);

export const ApplyQuery = Type.Object({
  concurrency: Type.Integer({ minimum: 1, maximum: 50, default: 5, description: 'Nodes configured at a time' }),
});
