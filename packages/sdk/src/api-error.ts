/** One invalid field of a request, as the API names it (`body.credentials`, `query.limit`). */
export interface FieldError {
  field: string;
  message: string;
}

/** The API's application/problem+json body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  requestId: string;
  errors?: FieldError[];
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && typeof (body as Problem).status === 'number' && typeof (body as Problem).detail === 'string';
}

/** A non-2xx answer of the API, carrying its problem+json. */
export class OvermindApiError extends Error {
  override readonly name = 'OvermindApiError';
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly requestId: string | undefined;
  readonly errors: FieldError[];

  constructor(problem: Problem | { status: number; title: string; detail: string; requestId?: string; errors?: FieldError[] }) {
    super(problem.detail);
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.requestId = problem.requestId;
    this.errors = problem.errors ?? [];
  }

  /** The error of a failed response; bodies that are not problem+json (a proxy's page) keep the status. */
  static from(response: Response, body: unknown): OvermindApiError {
    if (isProblem(body)) return new OvermindApiError(body);
    const requestId = response.headers.get('x-request-id') ?? undefined;
    const text = typeof body === 'string' && body.length > 0 && body.length < 300 ? body : response.statusText;
    return new OvermindApiError({ status: response.status, title: response.statusText, detail: text || `HTTP ${response.status}`, requestId });
  }

  /** The messages for one field (`credentials` matches `body.credentials` and `body.credentials.apiKey`). */
  fieldErrors(field: string): string[] {
    return this.errors
      .filter((e) => e.field === field || e.field === `body.${field}` || e.field.startsWith(`body.${field}.`))
      .map((e) => e.message);
  }
}
