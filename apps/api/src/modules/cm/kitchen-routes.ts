import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BadRequestError, ContentTooLargeError } from '../../lib/errors.js';
import { Nullable, errors } from '../../lib/schemas.js';

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

/** Accepts the archive as a stream of bytes; anything else (no body, another content type) is refused by name. */
const archiveBody = () => (data: unknown) =>
  data instanceof Readable
    ? { value: data }
    : { error: new BadRequestError(`Send the kitchen as a .tar.gz body with content-type ${ARCHIVE_TYPES.join(' or ')}`) };

export const kitchenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kitchen = app.services.cm.kitchen;
  const { maxArchiveBytes } = kitchen.limits;
  // Encapsulated in this plugin: other routes still take JSON only. The body stays a stream, read
  // by the upload as it arrives and counted there (Fastify's bodyLimit only counts buffered bodies);
  // a declared length over the limit is refused before reading anything.
  app.addContentTypeParser(ARCHIVE_TYPES, (request, payload, done) => {
    const length = request.headers['content-length'];
    if (Number(length) > maxArchiveBytes) return done(new ContentTooLargeError(`The kitchen archive is larger than the limit of ${maxArchiveBytes} bytes`), undefined);
    done(null, length === '0' ? undefined : payload);
  });

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
    validatorCompiler: archiveBody,
    schema: {
      tags: ['configuration'],
      operationId: 'uploadKitchen',
      summary: 'Replace the Chef kitchen with a .tar.gz (cookbooks/, site-cookbooks/, roles/, environments/, data_bags/)',
      description:
        'The archive is unpacked and validated first; when anything is wrong the answer is 422 listing every problem with its file, and the previous kitchen stays in place. ' +
        'An archive past the server\'s limits (OVERMIND_KITCHEN_MAX_UPLOAD_BYTES compressed, OVERMIND_KITCHEN_MAX_UNPACKED_BYTES unpacked, OVERMIND_KITCHEN_MAX_ENTRIES entries) is refused with 413.',
      consumes: ARCHIVE_TYPES,
      body: Type.Unsafe<Readable>({ type: 'string', format: 'binary', description: 'A .tar.gz of at most OVERMIND_KITCHEN_MAX_UPLOAD_BYTES (16 MiB by default)' }),
      response: { 200: KitchenSchema, ...errors(400, 413, 415, 422) },
    },
  }, async (request, reply) => {
    try {
      return await kitchen.upload(request.actor, request.body);
    } catch (err) {
      // Refused before the whole body arrived: close the connection rather than read the rest.
      if (!request.raw.complete) reply.header('connection', 'close');
      throw err;
    }
  });
};
