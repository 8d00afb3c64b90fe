import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, RetryLaterError, TooManyRequestsError } from '../lib/errors.js';
import { API_SECURITY_HEADERS } from './security-headers-plugin.js';

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
  408: 'Request Timeout',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
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

/**
 * Malformed URLs (a bad percent-escape) are refused by the router before any route, hook or error
 * handler is involved (Fastify's `frameworkErrors`): the same problem+json as every other error.
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.headers({ ...API_SECURITY_HEADERS, 'x-request-id': String(request.id) });
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
  return send(reply, request, { status, detail: `The URL cannot be read: ${error.message}` });
}

const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request did not arrive in time (OVERMIND_HTTP_REQUEST_TIMEOUT_SECONDS)' },
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request line and headers are too large' },
};

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (too slow, headers too large, not
 * HTTP): the same problem+json, written on the socket, which is then closed.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, detail } = CLIENT_ERRORS[error.code ?? ''] ?? { status: 400, detail: 'The request is not valid HTTP' };
  const requestId = randomUUID();
  this.log.debug({ err: error, requestId }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify({ type: 'about:blank', title: TITLES[status], status, detail, requestId });
    const headers = { ...API_SECURITY_HEADERS, 'content-type': 'application/problem+json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'x-request-id': requestId, connection: 'close' };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\r\n');
    socket.write(`HTTP/1.1 ${status} ${TITLES[status]}\r\n${head}\r\n\r\n${body}`);
  }
  socket.destroy(error);
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
