import pg from 'pg';

const ADMIN_SHUTDOWN = '57P01';

export interface PgListener {
  close(): Promise<void>;
}

/**
 * LISTENs on a channel over a dedicated connection and reconnects when it drops, so a Postgres
 * restart does not silently end live updates. Notifications sent while it was away are lost:
 * `onReconnect` runs once it listens again, so that whoever relies on them can catch up.
 */
export async function listen(
  url: string,
  channel: string,
  onPayload: (payload: string) => void,
  log: { warn(obj: unknown, msg: string): void },
  onReconnect: () => void = () => {},
): Promise<PgListener> {
  let closed = false;
  let client: pg.Client | null = null;
  let dropped = false;

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url, application_name: `overmind-listen-${channel}` });
    c.on('notification', (msg) => {
      if (msg.channel === channel && msg.payload !== undefined) onPayload(msg.payload);
    });
    c.on('error', (err) => {
      // Postgres ending the session (stopping, restarting, or an administrator: 57P01) is expected:
      // one line. A terminal's Ctrl-C reaches the embedded Postgres too, which ends every session
      // at once while this process is still closing. Anything else is logged with its error.
      if ((err as { code?: string }).code === ADMIN_SHUTDOWN) log.warn({}, `LISTEN ${channel}: the database server closed the connection; reconnecting`);
      else log.warn({ err }, `LISTEN ${channel} connection failed; reconnecting`);
      dropped = true;
      c.end().catch(() => {});
      if (client === c) client = null;
      if (!closed) retry();
    });
    await c.connect();
    await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = c;
    if (dropped) {
      dropped = false;
      onReconnect();
    }
  }

  function retry(): void {
    setTimeout(() => {
      if (!closed) connect().catch(retry);
    }, 1000).unref();
  }

  await connect();
  return {
    async close() {
      closed = true;
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
