import type { ServerResponse } from 'node:http';
import type { EventStreamLimits } from '../../config.js';
import { AppError, TooManyRequestsError } from '../../lib/errors.js';
import type { EventBus } from './event-bus.js';

const HEARTBEAT_MS = 15_000;
// A refused client is told to come back after this long (Retry-After).
const RETRY_AFTER_SECONDS = 30;
// A stream ended for its credentials gets this long to take its last message before it is cut.
const END_GRACE_MS = 5_000;

export interface StreamRequest {
  userId: string;
  requestId: string;
  /** Takes the connection over from the framework and returns it; called once the stream is admitted. */
  take(): ServerResponse;
  /** Resolves while the stream's credentials still allow it; rejects with a 401/403 AppError once not. */
  check(): Promise<unknown>;
}

interface Stream {
  readonly userId: string;
  send(text: string): void;
  recheck(): void;
  end(reason: string): void;
}

/**
 * The open `GET /events` streams of this process: how many there may be (per user and in all), each
 * one's outgoing buffer (a client that stops reading is dropped, so its unread events cannot grow
 * memory without bound), and whether its credentials still hold: checked every `recheckSeconds`, and
 * at once when the database says the user or one of their tokens changed.
 */
export function createEventStreams(deps: {
  bus: Pick<EventBus, 'subscribe' | 'onPrincipalChange'>;
  limits: EventStreamLimits;
  log: { info(obj: unknown, msg: string): void; warn(obj: unknown, msg: string): void };
}) {
  const { limits, log } = deps;
  const all = new Set<Stream>();
  const byUser = new Map<string, Set<Stream>>();

  // Encoded once per event, whatever the number of streams.
  const unsubscribe = deps.bus.subscribe((event) => {
    const text = `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    for (const stream of all) stream.send(text);
    // Changes announced while this process was not listening were missed too.
    if (event.type === 'resync') for (const stream of all) stream.recheck();
  });
  const unwatch = deps.bus.onPrincipalChange((userId) => {
    for (const stream of byUser.get(userId) ?? []) stream.recheck();
  });

  function admit(userId: string): void {
    if ((byUser.get(userId)?.size ?? 0) >= limits.perUser) {
      throw new TooManyRequestsError(
        `You already have ${limits.perUser} open event streams, the most one user may hold: close one (another tab) first`,
        RETRY_AFTER_SECONDS,
      );
    }
    if (all.size >= limits.total) {
      throw new TooManyRequestsError(`The server has ${limits.total} open event streams, the most it allows: try again later`, RETRY_AFTER_SECONDS);
    }
  }

  return {
    /** Opens a stream, or throws a 429 error (before taking the connection) when a limit is reached. */
    open(request: StreamRequest): void {
      admit(request.userId);
      const res = request.take();
      let closed = false;
      let checking = false;
      let checkAgain = false;

      const stream: Stream = {
        userId: request.userId,
        send(text) {
          if (closed) return;
          // Bytes the client has not taken yet, in this process and in the socket's buffer.
          if (res.writableLength > limits.maxBufferedBytes) {
            log.warn({ reqId: request.requestId, userId: request.userId, buffered: res.writableLength }, 'event stream dropped: its client is not reading');
            forget();
            res.destroy();
            return;
          }
          res.write(text);
        },
        recheck() {
          if (closed) return;
          // A change announced while a check is under way may not be in what that check read.
          if (checking) {
            checkAgain = true;
            return;
          }
          checking = true;
          request.check().then(
            () => {},
            (err: unknown) => {
              if (err instanceof AppError && (err.status === 401 || err.status === 403)) {
                stream.end(err.message);
              } else {
                // The database may be away for a moment: keep the stream, the next check decides.
                log.warn({ err, reqId: request.requestId }, 'could not check an event stream\'s credentials');
              }
            },
          ).finally(() => {
            checking = false;
            if (checkAgain) {
              checkAgain = false;
              stream.recheck();
            }
          });
        },
        end(reason) {
          if (closed) return;
          log.info({ reqId: request.requestId, userId: request.userId, reason }, 'event stream ended');
          forget();
          res.end(`: closed: ${reason.replaceAll('\n', ' ')}\n\n`);
          setTimeout(() => res.destroy(), END_GRACE_MS).unref();
        },
      };

      const heartbeat = setInterval(() => stream.send(': keep-alive\n\n'), HEARTBEAT_MS);
      const recheck = setInterval(() => stream.recheck(), limits.recheckSeconds * 1000);
      function forget(): void {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        clearInterval(recheck);
        all.delete(stream);
        const mine = byUser.get(request.userId);
        mine?.delete(stream);
        if (mine?.size === 0) byUser.delete(request.userId);
      }

      all.add(stream);
      byUser.set(request.userId, (byUser.get(request.userId) ?? new Set()).add(stream));
      res.on('close', forget);
      // A write racing the client's disconnect must not become an unhandled 'error' event.
      res.on('error', forget);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.requestId,
      });
      res.write(': connected\n\n');
    },

    /** Ends every stream (shutdown: the HTTP server waits for open connections before it closes). */
    close(): void {
      unsubscribe();
      unwatch();
      for (const stream of all) stream.end('the server is shutting down');
    },
  };
}

export type EventStreams = ReturnType<typeof createEventStreams>;
