import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorXml } from './ec2-fixtures.js';

/** One request the fake received, with its Query API form body decoded. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  action: string;
  params: Record<string, string>;
}

export interface Reply {
  status?: number;
  body: string;
  headers?: Record<string, string>;
}

export type Responder = Reply | ((request: RecordedRequest) => Reply);

/** Failure modes every action can be switched to at once. */
export const SCENARIOS = {
  'auth-failure': { status: 401, body: errorXml('AuthFailure', 'AWS was not able to validate the provided access credentials') },
  unauthorized: {
    status: 403,
    body: errorXml('UnauthorizedOperation', 'You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/overmind is not authorized to perform: ec2:DescribeInstances'),
  },
  throttled: {
    status: 503,
    headers: { 'Retry-After': '7' },
    body: errorXml('RequestLimitExceeded', 'Request limit exceeded.'),
  },
  'internal-error': { status: 500, body: errorXml('InternalError', 'An internal error has occurred') },
  malformed: {
    status: 200,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse><reservationSet><item><instancesSet>',
  },
} satisfies Record<string, Reply>;

export type Scenario = keyof typeof SCENARIOS | 'hang';

/**
 * A loopback stand-in for the EC2 Query API: the real SDK posts form bodies here, each action
 * answers with the replies queued for it (the last one repeats), and `scenario` overrides them all.
 */
export class FakeEc2 {
  readonly requests: RecordedRequest[] = [];
  scenario: Scenario | null = null;
  readonly #replies = new Map<string, Responder[]>();
  readonly #server: Server;
  url = '';

  private constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
        const recorded: RecordedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          action: params.Action ?? '',
          params,
        };
        this.requests.push(recorded);
        if (this.scenario === 'hang') return; // never answer: the client's timeout must fire
        const reply = this.#reply(recorded);
        res.writeHead(reply.status ?? 200, { 'content-type': 'text/xml;charset=UTF-8', ...reply.headers });
        res.end(reply.body);
      });
    });
  }

  static async start(): Promise<FakeEc2> {
    const fake = new FakeEc2();
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Queues replies for an action; each call takes the next one and the last one repeats. */
  on(action: string, ...replies: Responder[]): this {
    this.#replies.set(action, replies);
    return this;
  }

  calls(action: string): RecordedRequest[] {
    return this.requests.filter((r) => r.action === action);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #reply(request: RecordedRequest): Reply {
    if (this.scenario !== null && this.scenario !== 'hang') return SCENARIOS[this.scenario];
    const queue = this.#replies.get(request.action);
    if (!queue || queue.length === 0) {
      return { status: 400, body: errorXml('InvalidAction', `The fake has no reply for ${request.action}`) };
    }
    const next = queue.length > 1 ? queue.shift()! : queue[0]!;
    return typeof next === 'function' ? next(request) : next;
  }
}

/** The `Prefix.N.Field` members of a Query API list parameter, in order. */
export function listParam(params: Record<string, string>, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; params[`${prefix}.${i}`] !== undefined; i++) out.push(params[`${prefix}.${i}`]!);
  return out;
}
