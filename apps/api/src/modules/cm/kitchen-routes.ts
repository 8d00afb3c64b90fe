import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BadRequestError } from '../../lib/errors.js';
import { Nullable, errors } from '../../lib/schemas.js';

/** Kitchens are archives of cookbooks, far bigger than the API's JSON bodies. */
export const KITCHEN_BODY_LIMIT = 50 * 1024 * 1024;
const ARCHIVE_TYPES = ['application/gzip', 'application/x-gzip', 'application/octet-stream'];

export const CmProblemSchema = Type.Object(
  {
    file: Nullable(Type.String({ description: 'Path in the kitchen, e.g. roles/web.json' })),
    line: Type.Optional(Type.Integer()),
    column: Type.Optional(Type.Integer()),
    message: Type.String(),
  },
  { title: 'CmProblem' },
);

const Described = { name: Type.String(), description: Nullable(Type.String()) };

export const KitchenSchema = Type.Object(
  {
    uploaded: Type.Boolean({ description: 'False until the first upload' }),
    roles: Type.Array(Type.Object({ ...Described, runList: Type.Array(Type.String()) })),
    recipes: Type.Array(
      Type.Object({ ...Described, cookbook: Type.String(), dependencies: Type.Array(Type.String(), { description: 'Cookbooks it depends on' }) }),
    ),
    environments: Type.Array(Type.Object(Described)),
    problems: Type.Array(CmProblemSchema),
  },
  { title: 'Kitchen' },
);

/** Accepts the archive as raw bytes; anything but a Buffer (no or another content type) is refused by name. */
const archiveBody = () => (data: unknown) =>
  Buffer.isBuffer(data) && data.length > 0
    ? { value: data }
    : { error: new BadRequestError(`Send the kitchen as a .tar.gz body with content-type ${ARCHIVE_TYPES.join(' or ')}`) };

export const kitchenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kitchen = app.services.cm.kitchen;
  // Encapsulated in this plugin: other routes still take JSON only.
  app.addContentTypeParser(ARCHIVE_TYPES, { parseAs: 'buffer', bodyLimit: KITCHEN_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.get('/kitchen', {
    config: { access: 'observer' },
    schema: {
      tags: ['configuration'],
      operationId: 'getKitchen',
      summary: 'The current Chef kitchen: roles, recipes with their cookbook dependencies, environments',
      response: { 200: KitchenSchema, ...errors() },
    },
  }, async () => kitchen.describe());

  app.put('/kitchen', {
    config: { access: 'operator' },
    bodyLimit: KITCHEN_BODY_LIMIT,
    validatorCompiler: archiveBody,
    schema: {
      tags: ['configuration'],
      operationId: 'uploadKitchen',
      summary: 'Replace the Chef kitchen with a .tar.gz (cookbooks/, site-cookbooks/, roles/, environments/, data_bags/)',
      description: 'The archive is unpacked and validated first; when anything is wrong the answer is 422 listing every problem with its file, and the previous kitchen stays in place.',
      consumes: ARCHIVE_TYPES,
      body: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: `A .tar.gz of at most ${KITCHEN_BODY_LIMIT / 1024 / 1024} MiB` }),
      response: { 200: KitchenSchema, ...errors(400, 413, 415, 422) },
    },
  }, async (request) => kitchen.upload(request.actor, request.body));
};
