/** The one error vocabulary of the API. The error handler maps these to application/problem+json. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(400, 'Bad Request', message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required: send Authorization: Bearer <token>') {
    super(401, 'Unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(403, 'Forbidden', message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super(404, 'Not Found', `${what} ${id} does not exist`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, 'Conflict', message);
  }
}

/** A conflict that passes by itself (e.g. the first of two identical requests still running): retry after a while. */
export class RetryLaterError extends AppError {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(409, 'Conflict', message);
  }
}

export class UnprocessableError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(422, 'Unprocessable Content', message, details);
  }
}

export class ContentTooLargeError extends AppError {
  constructor(message: string) {
    super(413, 'Content Too Large', message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(429, 'Too Many Requests', message);
  }
}

export class BadGatewayError extends AppError {
  constructor(message: string) {
    super(502, 'Bad Gateway', message);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string) {
    super(503, 'Service Unavailable', message);
  }
}
