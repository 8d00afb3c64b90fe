import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Evaluates the alert rules every `evaluateSeconds` in each API process (the processes that ingest
 * results); one at a time across processes, under an advisory lock (see alert-evaluator.ts).
 */
export const alertsPlugin = fp(
  async (app: FastifyInstance, opts: { evaluateSeconds: number }) => {
    let running: Promise<void> | null = null;
    const timer = setInterval(() => {
      if (running) return;
      running = app.services.alertEvaluator.evaluate()
        .then((r) => {
          if (r && r.fired + r.resolved > 0) app.log.info(r, 'alerts fired or resolved');
        })
        .catch((err: unknown) => app.log.warn({ err }, 'alert evaluation failed'))
        .finally(() => (running = null));
    }, opts.evaluateSeconds * 1000);
    timer.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await running;
    });
  },
  { name: 'alerts', fastify: '5.x', dependencies: ['services'] },
);
