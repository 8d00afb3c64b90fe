import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, RetryLaterError, TooManyRequestsError } from '../lib/errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  requestId: string;
  errors?: { field: string; message: string }[];
  [key: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

interface ProblemInput {
  status: number;
  detail: string;
  title?: string;
  errors?: { field: string; message: string }[];
  [key: string]: unknown;
}

function send(reply: FastifyReply, request: FastifyRequest, problem: ProblemInput) {
  const body: Problem = {
    type: 'about:blank',
    title: problem.title ?? TITLES[problem.status] ?? 'Error',
    ...problem,
    requestId: String(request.id),
  };
  return reply.code(problem.status).type('application/problem+json').send(body);
}

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turns ajv issues into field-named messages: `body.name: must be string`. */
function describeValidation(error: FastifyError): { field: string; message: string }[] {
  const context = error.validationContext ?? 'body';
  return (error.validation as ValidationIssue[]).map((v) => {
    let path = (v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    if (v.keyword === 'additionalProperties' && v.params?.additionalProperty) {
      path = [path, String(v.params.additionalProperty)].filter(Boolean).join('.');
      return { field: `${context}${path ? `.${path}` : ''}`, message: 'is not a known field' };
    }
    if (v.keyword === 'required' && v.params?.missingProperty) {
      path = [path, String(v.params.missingProperty)].filter(Boolean).join('.');
      return { field: `${context}.${path}`, message: 'is required' };
    }
    return { field: `${context}${path ? `.${path}` : ''}`, message: v.message ?? 'is invalid' };
  });
}

/** One error handler: typed AppErrors, validation and parser errors become problem+json; 5xx stay opaque. */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) {
        if (error instanceof TooManyRequestsError || error instanceof RetryLaterError) reply.header('retry-after', String(error.retryAfterSeconds));
        return send(reply, request, { status: error.status, title: error.title, detail: error.message, ...error.details });
      }
      if (error.validation) {
        const errors = describeValidation(error);
        const detail = errors.map((e) => `${e.field} ${e.message}`).join('; ');
        return send(reply, request, { status: 400, detail, errors });
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        const detail =
          error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? 'Request body is too large'
            : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
              ? `Unsupported content type "${request.headers['content-type'] ?? ''}": send application/json`
              : error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
                ? 'Body is empty: send a JSON object'
                : error.message;
        return send(reply, request, { status, detail });
      }
      request.log.error({ err: error }, 'request failed');
      return send(reply, request, {
        status: 500,
        detail: `Something went wrong on our side. Quote request id ${request.id} when reporting it.`,
      });
    });

    app.setNotFoundHandler((request, reply) =>
      send(reply, request, { status: 404, detail: `No route ${request.method} ${request.url.split('?')[0]}` }),
    );
  },
  { name: 'error-handler', fastify: '5.x' },
);
