/**
 * A ceiling for the API benchmarks: a bare Fastify process answering fixed bytes, with nothing of
 * Overmind's in the way (no authentication, no database, no serialization). The bodies are the
 * real API's answers, captured in the same run; each is served at the same path and query string,
 * with the API's answer's own headers when given, so that the bytes on the wire, headers included,
 * are the same (the load generator parses every header line, in JavaScript).
 * Env: PORT, BODIES (a JSON file: { "<path?query>": { "type": "<content-type>", "file": "<body file>",
 * "headers"?: { "<name>": "<value>" } } }).
 * Prints "listening" once it answers.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

type Answer = { type: string; file: string; headers?: Record<string, string> };
const bodies = new Map<string, { type: string; body: Buffer; headers: Record<string, string> }>();
for (const [url, { type, file, headers }] of Object.entries(JSON.parse(readFileSync(process.env.BODIES!, 'utf8')) as Record<string, Answer>)) {
  bodies.set(url, { type, body: readFileSync(file), headers: headers ?? {} });
}
// The same logger setting as `overmind api` with LOG_LEVEL=warn: nothing logged per request.
const app = Fastify({ logger: false });
app.get('/*', async (request, reply) => {
  const hit = bodies.get(request.url);
  if (!hit) return reply.code(404).send();
  return reply.headers(hit.headers).type(hit.type).send(hit.body);
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
console.log('listening');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
