/** Clients of the real `GET /api/v1/events` over HTTP: one that reads, and one that stops reading. */
import { connect, type Socket } from 'node:net';

export interface Received {
  event: string;
  data: Record<string, unknown>;
}

export interface StreamClient {
  status: number;
  /** The problem body of a refused stream. */
  problem?: Record<string, unknown>;
  retryAfter: string | null;
  received: Received[];
  /** Comment lines (`: ...`) the server sent. */
  comments: string[];
  /** Resolves when the server ends the stream (or the client closes it). */
  ended: Promise<void>;
  isEnded(): boolean;
  close(): void;
}

/** Opens a stream that reads and parses everything it is sent. */
export async function openStream(baseUrl: string, token: string): Promise<StreamClient> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const received: Received[] = [];
  const comments: string[] = [];
  let ended = false;
  const client: StreamClient = {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    received,
    comments,
    ended: Promise.resolve(),
    isEnded: () => ended,
    close: () => controller.abort(),
  };
  if (res.status !== 200) {
    client.problem = (await res.json()) as Record<string, unknown>;
    ended = true;
    return client;
  }
  client.ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) received.push({ event, data: JSON.parse(data) });
          else if (block.startsWith(':')) comments.push(block.slice(1).trim());
        }
      }
    } catch {
      /* aborted, or the connection was cut */
    } finally {
      ended = true;
    }
  })();
  return client;
}

export interface StalledClient {
  /** Starts reading again; resolves with the bytes read once the server has closed the connection. */
  drain(): Promise<number>;
  /** Closes the connection from this side. */
  destroy(): void;
}

/**
 * Opens a stream over a raw socket, waits for its 200, then stops reading: what a client that is
 * stuck, or hostile, does. The kernel buffers fill, then whatever the server keeps for it.
 */
export async function openStalledStream(port: number, token: string): Promise<StalledClient> {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(`GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
  const head = await new Promise<string>((resolve, reject) => {
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1')));
    socket.once('error', reject);
  });
  if (!head.startsWith('HTTP/1.1 200')) throw new Error(`stalled stream: ${head.split('\r\n')[0]}`);
  socket.pause();
  let closed = false;
  socket.on('close', () => (closed = true));
  socket.on('error', () => {});
  return {
    drain() {
      let bytes = 0;
      socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
      const done = closed ? Promise.resolve() : new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.resume();
      return done.then(() => bytes);
    },
    destroy: () => socket.destroy(),
  };
}
