import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { FastifyReply } from 'fastify';
import { consolePageCsp } from './security-headers-plugin.js';

/**
 * Sends the console's index.html with a style nonce of its own: in a `<meta name="style-nonce">` for the page's
 * scripts, and in this answer's Content-Security-Policy. Read on each request (a few hundred bytes), so a rebuilt
 * console is served without a restart; never cached, since each copy carries its own nonce.
 */
export async function sendConsolePage(webDir: string, reply: FastifyReply): Promise<FastifyReply> {
  const nonce = randomBytes(18).toString('base64');
  const html = await readFile(join(webDir, 'index.html'), 'utf8');
  const meta = `<meta name="style-nonce" content="${nonce}">`;
  // After <head>, or after the doctype when the page leaves <head> implicit (the parser puts it there anyway).
  const at = /<head\b[^>]*>/i.exec(html) ?? /<!doctype html>/i.exec(html);
  const end = at ? at.index + at[0].length : 0;
  const withNonce = `${html.slice(0, end)}${meta}${html.slice(end)}`;
  return reply
    .header('content-security-policy', consolePageCsp(nonce))
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(withNonce);
}

/**
 * The build names every file under assets/ by its content's hash (a changed file is a new name), so a browser may
 * keep them for a year without asking again; anything else the console's directory holds is revalidated.
 */
export function consoleAssetHeaders(webDir: string): (reply: FastifyReply, path: string) => void {
  return (reply, path) => {
    if (relative(webDir, path).startsWith(`assets${sep}`)) reply.header('cache-control', 'public, max-age=31536000, immutable');
  };
}
