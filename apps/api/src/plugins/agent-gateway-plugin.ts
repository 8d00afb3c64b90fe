import { randomUUID } from 'node:crypto';
import websocket from '@fastify/websocket';
import { AGENT_CONNECT_PATH, CloseCode, MAX_MESSAGE_BYTES } from '@overmind/agent-protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { listen } from '../lib/pg-listener.js';
import { createAgentGateway, type AgentGateway } from '../modules/agents/agent-gateway.js';
import { createAgentPresence } from '../modules/agents/agent-presence.js';
import { AGENT_CHANNEL, decodeSignal } from '../modules/agents/agent-signals.js';
import { createReadingsIngest } from '../modules/metrics/readings-ingest.js';
import { createCheckDelivery } from '../modules/checks/check-delivery.js';

declare module 'fastify' {
  interface FastifyInstance {
    agentGateway: AgentGateway;
  }
}

/** How often this process fails runs past their deadline, forgets agents whose process died and marks silent nodes' health stale. */
const SWEEP_MS = 5000;

/**
 * The agents' WebSocket endpoint (`/api/v1/agent/connect`) on the API's own port, the gateway that
 * holds their connections, and the NOTIFY listener through which any process reaches them.
 */
export const agentGatewayPlugin = fp(
  async (app: FastifyInstance, opts: { url: string }) => {
    const settings = app.config.agents;
    const presence = createAgentPresence({ db: app.db, events: app.events, log: app.log });
    const readings = createReadingsIngest({ db: app.db, settings: app.config.metrics, partitions: app.services.metrics.partitions, log: app.log });
    const checks = createCheckDelivery({ db: app.db, results: app.services.checkResults, history: readings, log: app.log });
    const gateway = createAgentGateway({
      db: app.db, runs: app.services.runs, presence, readings, checks, settings, log: app.log, processId: randomUUID(), metrics: app.prometheus.agents,
    });
    app.prometheus.agents.attach(gateway);
    app.decorate('agentGateway', gateway);

    await app.register(websocket, {
      options: { maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false },
      // Instead of the plugin's own (a close without a code, 1005): agents are told the server restarts.
      preClose: (done) => {
        clearInterval(sweep);
        gateway.closeAll(CloseCode.serviceRestart, 'the server is restarting');
        done();
      },
    });
    app.get(AGENT_CONNECT_PATH, { websocket: true, config: { access: 'public' }, schema: { hide: true } }, (socket, request) => {
      gateway.accept(socket, request.ip);
    });

    const signals = await listen(opts.url, AGENT_CHANNEL, (payload) => {
      const signal = decodeSignal(payload);
      if (signal) gateway.onSignal(signal);
    }, app.log, () => gateway.resync());

    const staleAfterSeconds = settings.heartbeatSeconds * 3 + 10;
    let sweeping = false;
    const sweep = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      gateway.sweepSilent();
      void Promise.all([app.services.runs.sweepDeadlines(), presence.sweepStale(staleAfterSeconds), app.services.checkResults.sweepStale()])
        .catch((err: unknown) => app.log.warn({ err }, 'agent sweep failed'))
        .finally(() => (sweeping = false));
    }, SWEEP_MS);
    sweep.unref();

    app.addHook('onClose', async () => {
      await signals.close();
      await presence.close().catch((err: unknown) => app.log.warn({ err }, 'could not record agent disconnections'));
      await readings.flushAll();
    });
  },
  { name: 'agent-gateway', fastify: '5.x', dependencies: ['services', 'events', 'prometheus'] },
);
