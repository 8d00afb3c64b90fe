import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createGuaranteeReconciler } from '../modules/constellations/guarantee-reconciler.js';
import { createGuaranteeSteps } from '../modules/constellations/guarantee-steps.js';

/**
 * Runs the service guarantee's reconciler every `passSeconds` in each worker process; one pass at a
 * time across processes, under an advisory lock (see guarantee-reconciler.ts). 0 turns it off here.
 */
export const guaranteePlugin = fp(
  async (app: FastifyInstance, opts: { passSeconds: number }) => {
    if (opts.passSeconds <= 0) return;
    const { db, events, services } = app;
    const reconciler = createGuaranteeReconciler({
      db,
      audit: services.audit,
      events,
      steps: createGuaranteeSteps({ db, events, jobs: services.jobs, nodes: services.nodes, commands: services.commands }),
      instance: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    });
    let running: Promise<void> | null = null;
    const timer = setInterval(() => {
      if (running) return;
      running = reconciler.pass()
        .then((r) => {
          if (r && r.started.length + r.finished + r.tripped.length > 0) app.log.info({ started: r.started, finished: r.finished, tripped: r.tripped }, 'service guarantee: remediation steps started or ended');
          for (const t of r?.tripped ?? []) app.log.warn({ tier: t }, 'service guarantee: circuit breaker tripped');
        })
        .catch((err: unknown) => app.log.warn({ err }, 'service guarantee pass failed'))
        .finally(() => (running = null));
    }, opts.passSeconds * 1000);
    timer.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await running;
    });
  },
  { name: 'guarantee', fastify: '5.x', dependencies: ['services'] },
);
