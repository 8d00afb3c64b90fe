/** What can stop Overmind from starting, said as what failed and what to do about it. */
const DATABASE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', '28P01', '28000', '3D000']);

export function explainStartupError(err: unknown, setting: { databaseUrl: string | undefined; host: string; port: number }): Error {
  const e = err as NodeJS.ErrnoException & { code?: string };
  const message = err instanceof Error && err.message ? err.message : String(err);
  if (e?.syscall === 'listen' && e.code === 'EADDRINUSE') {
    return new Error(`port ${setting.port} on ${setting.host} is already in use (another Overmind?): stop what uses it, or set PORT to a free port`);
  }
  if (e?.syscall === 'listen' && (e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL')) {
    return new Error(`cannot listen on ${setting.host}:${setting.port} (${e.code}): set HOST to an address of this machine and PORT to a port above 1023`);
  }
  if (setting.databaseUrl && e?.code && DATABASE_CODES.has(e.code)) {
    return new Error(`cannot use the database at ${withoutPassword(setting.databaseUrl)}: ${message}. Check DATABASE_URL, or unset it to run the embedded Postgres`);
  }
  return err instanceof Error && err.message ? err : new Error(`start-up failed: ${message}`);
}

function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
