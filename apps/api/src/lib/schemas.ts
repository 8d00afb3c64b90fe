import { Type, type TSchema } from 'typebox';

/** The canonical 8-4-4-4-12 form only (see the `uuid` format in app.ts): what Postgres's uuid type reads. */
export const Uuid = Type.String({ format: 'uuid', maxLength: 36 });
/** Dates are `Date` in code and ISO 8601 strings on the wire (fast-json-stringify converts them). */
export const DateTime = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });
export const NullableDateTime = Type.Union([DateTime, Type.Null()]);

export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

export const IdParams = Type.Object({ id: Uuid });

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String({ description: 'What went wrong and what to fix' }),
    requestId: Type.String({ description: 'Quote this when reporting a problem' }),
    errors: Type.Optional(
      Type.Array(Type.Object({
        field: Type.String(),
        message: Type.String(),
        line: Type.Optional(Type.Integer({ minimum: 1, description: 'In an imported document: the line of the field (from 1)' })),
        column: Type.Optional(Type.Integer({ minimum: 1, description: 'In an imported document: the column of the field (from 1)' })),
      }), {
        description: 'One entry per invalid field',
      }),
    ),
  },
  { title: 'Problem', additionalProperties: true },
);

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed: a field is missing, unknown or of the wrong type',
  401: 'No valid credentials were sent',
  403: "The caller's role does not allow this",
  404: 'The resource does not exist',
  409: 'The resource is not in a state that allows this',
  413: 'The body is too large',
  415: 'The body is not JSON',
  422: 'The request is well-formed but its content was refused',
  429: 'Too many attempts; wait and retry',
  500: 'Something failed on the server',
  502: 'The provider could not be reached or answered with an error',
  503: 'A dependency is unavailable',
};

/** Error responses as problem+json, for a route's `response` schema. */
export function errors(...codes: number[]): Record<number, TSchema> {
  const all = [...new Set([401, 403, 500, ...codes])];
  return Object.fromEntries(
    all.map((c) => [c, { ...Problem, description: DESCRIPTIONS[c] ?? 'Error' }]),
  );
}

/** Error responses for a route that needs no authentication. */
export function publicErrors(...codes: number[]): Record<number, TSchema> {
  return Object.fromEntries(
    [...new Set([500, ...codes])].map((c) => [c, { ...Problem, description: DESCRIPTIONS[c] ?? 'Error' }]),
  );
}

export const BODY_ERRORS = [400, 413, 415] as const;
