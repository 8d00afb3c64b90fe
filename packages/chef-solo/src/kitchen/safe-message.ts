/**
 * Messages about kitchen files go to whoever uploaded the kitchen: they name files relative to the
 * kitchen and never carry a path of the server. Node's file-system errors put the absolute path in
 * their message (`ENOENT: no such file or directory, open '/var/lib/...'`), so only their code and
 * description are kept.
 */
export function safeMessage(err: unknown, serverDirs: readonly string[] = []): string {
  const e = err as NodeJS.ErrnoException;
  let message = err instanceof Error ? err.message : String(err);
  if (err instanceof Error && typeof e.code === 'string' && typeof e.syscall === 'string') {
    // "<CODE>: <description>, <syscall> '<path>'" -> "<CODE>: <description>"
    const cut = message.indexOf(`, ${e.syscall}`);
    if (cut > 0) message = message.slice(0, cut);
  }
  // Longest first, so a directory inside another is replaced whole.
  for (const dir of [...serverDirs].sort((a, b) => b.length - a.length)) {
    if (dir) message = message.split(`${dir}/`).join('').split(dir).join('.');
  }
  return message;
}
