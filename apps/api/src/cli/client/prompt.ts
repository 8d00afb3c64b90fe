import { read } from 'read';

/** All of standard input (piped), trimmed of its final newline and surrounding blanks. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/**
 * A secret typed at the terminal without echo, or read from standard input when that is not a
 * terminal (`printf '%s' "$PW" | overmind login ...`). Never taken from a command-line argument,
 * which other users of the machine can read in the process list.
 */
export async function readSecret(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) return readStdin();
  return read({ prompt, silent: true, replace: '', output: process.stderr });
}

/** A value typed at the terminal (with echo); standard input's first line when it is not one. */
export async function readLine(prompt: string): Promise<string> {
  return read({ prompt, output: process.stderr });
}
