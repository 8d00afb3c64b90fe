import type { IncomingHttpHeaders } from 'node:http';

/** One request as the replay server saw it; handlers receive it and `server.requests` keeps it. */
export interface ReplayRequest {
  method: string;
  /** Path without the query string, e.g. `/v2/droplets/42`. */
  path: string;
  /** Parameters of the matched route pattern (`/v2/droplets/:id` gives `{ id: '42' }`). */
  params: Record<string, string>;
  /** Query parameters; a repeated key gives an array. */
  query: Record<string, string | string[]>;
  /** Header names are lower-case, as Node gives them. */
  headers: IncomingHttpHeaders;
  /** Raw request body. */
  body: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
  /** The scenario in force when the request arrived. */
  scenario: string | null;
}

/** What to answer. Exactly one of `json`, `xml`, `text` is normally set; none gives an empty body. */
export interface ReplayResponse {
  /** Defaults to 200. */
  status?: number;
  headers?: Record<string, string>;
  /** Serialized with JSON.stringify, sent as application/json. */
  json?: unknown;
  /** Sent as application/xml. */
  xml?: string;
  /** Sent as-is, text/plain unless `headers` says otherwise (use it for malformed bodies). */
  text?: string;
  /** Wait this long before answering (slow responses, client timeouts). */
  delayMs?: number;
  /**
   * After `text`/`json`, this many more bytes of spaces, without a Content-Length, only as fast as
   * the client reads, ending early when it hangs up (`ReplayServer.streamed` says how many went out).
   * With `declareLength`, the headers claim that length instead and the body is one byte, never ended.
   */
  stream?: { bytes: number; declareLength?: boolean };
}

/** Computes a response; `next` runs what would have answered without this override or scenario. */
export type ReplayHandler = (
  request: ReplayRequest,
  next: () => Promise<ReplayResponse>,
) => ReplayResponse | Promise<ReplayResponse>;

/** A fixed response, a handler, or the name of a scenario to answer with. */
export type Responder = ReplayResponse | ReplayHandler | string;

export interface OverrideOptions {
  /** How many matching requests this override answers before it is used up (default: all). */
  times?: number;
}

export interface ReplayServerOptions {
  /** Directory holding the JSON/XML/text fixtures read by `fixture()` and `fixtureText()`. */
  fixturesDir?: string | URL;
  /** Delay used by the built-in `slow` scenario, in ms (default 1000). */
  slowMs?: number;
}
