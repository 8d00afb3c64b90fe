/**
 * `overmind-agent run`: the connection, the runs and the facts wired together, with status.json kept
 * current for `overmind-agent status`. Resolves with the process's exit code: 0 when stopped by a
 * signal, EXIT_NEEDS_OPERATOR when the server refused the agent for good.
 */
import { readFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { CloseCode, decodeCheckDefinitions, parseReadingsFeature, READINGS, type WelcomeMessage } from '@overmind/agent-protocol';
import { errorMessage, type AgentLog } from './agent-log.js';
import { CliError, EXIT_NEEDS_OPERATOR } from './cli/cli-error.js';
import { connectUrl, readAgentConfig } from './config/agent-config.js';
import { agentFiles, type AgentDirs } from './config/agent-dirs.js';
import { loadIdentity, updateNodeId } from './config/identity-store.js';
import { StatusFile } from './config/status-file.js';
import { CheckResultOutbox } from './checks/check-result-outbox.js';
import { CheckScheduler } from './checks/check-scheduler.js';
import { AgentConnection, CLOSE_NAMES, type WorkMessage } from './connection/agent-connection.js';
import { collectFacts, factsHash } from './facts/node-facts.js';
import { ReadingsSender } from './readings/readings-sender.js';
import { createConvergeRunner } from './runs/converge-run.js';
import { RunJournal } from './runs/run-journal.js';
import { RunManager } from './runs/run-manager.js';
import { AGENT_VERSION } from './version.js';

/** Facts are collected again this often and sent when they changed. */
const FACTS_CHECK_MS = 10 * 60_000;

const FINAL_ADVICE: Record<number, string> = {
  [CloseCode.unauthorized]: 'the server does not know this agent or its key: enrol again (overmind-agent enroll --force)',
  [CloseCode.forbidden]: 'the agent was revoked or rejected by an operator: enrol again with a new token',
  [CloseCode.unsupportedVersion]: 'the server and this agent share no protocol version: upgrade the agent',
};

export interface RunningAgent {
  /** Resolves with the exit code once the agent stopped. */
  done: Promise<number>;
  /** Stops it: closes the connection with 1000, marks running runs, writes the status. */
  stop(): Promise<void>;
}

export async function startAgent(dirs: AgentDirs, log: AgentLog): Promise<RunningAgent> {
  const files = agentFiles(dirs);
  const config = await readAgentConfig(files.config);
  const identity = await loadIdentity(dirs);
  let ca: Buffer | undefined;
  if (config.caFile) {
    try {
      ca = await readFile(config.caFile);
    } catch (err) {
      throw new CliError(`cannot read the CA file ${config.caFile} named in agent.json: ${errorMessage(err)}`, EXIT_NEEDS_OPERATOR);
    }
  }
  const user = userInfo().username;
  if (config.user && config.user !== user) log.warn(`agent.json says the agent runs as ${config.user}, but it runs as ${user}`);

  const status = new StatusFile(
    files.status,
    { pid: process.pid, connected: false, since: new Date().toISOString(), agentId: identity.agentId, nodeId: identity.nodeId, url: config.url, version: AGENT_VERSION, lastRun: null, lastError: null },
    (err) => log.error(`cannot write ${files.status}: ${errorMessage(err)}`),
  );
  let connection: AgentConnection | null = null;
  const runs = new RunManager({
    journal: new RunJournal(files.runs),
    converge: createConvergeRunner({ kitchensDir: files.kitchens, source: { baseUrl: config.url, ca, agentId: identity.agentId, privateKey: identity.privateKey } }),
    log,
    send: (message) => connection?.send(message) ?? false,
    canSend: () => connection?.canSend() ?? false,
    onFinished: (lastRun) => void status.update({ lastRun }),
  });
  await runs.restore();
  await status.update({ lastRun: runs.lastFinished() });

  const checkResults = new CheckResultOutbox({
    send: (message) => connection?.send(message) ?? false,
    canSend: () => connection?.canSend() ?? false,
  });
  const checks = new CheckScheduler({ log, onResult: (result) => checkResults.add(result) });
  /** `welcome.features.checks` or `checks.set`: the node's whole set of checks. */
  const setChecks = (value: unknown) => {
    const decoded = decodeCheckDefinitions(value);
    if (!decoded.ok) return log.error(`ignoring the server's check definitions: ${decoded.reason}`);
    checks.set(decoded.checks);
    checkResults.keepOnly(new Set(decoded.checks.map((c) => c.id)));
  };

  let wantFacts = false;
  let sentFactsHash: string | undefined;
  const sendFacts = async (always: boolean) => {
    if (!wantFacts || !connection?.ready) return;
    const facts = await collectFacts(AGENT_VERSION);
    const hash = factsHash(facts);
    if (!always && hash === sentFactsHash) return;
    if (connection.send({ type: 'facts', hash, facts })) sentFactsHash = hash;
  };
  const factsTimer = setInterval(() => void sendFacts(false).catch((err) => log.warn(`facts: ${errorMessage(err)}`)), FACTS_CHECK_MS);
  factsTimer.unref();
  const readings = new ReadingsSender({ send: (message) => connection?.send(message) ?? false, log });

  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));
  let stopping: Promise<void> | null = null;
  const stop = (code: number) => {
    stopping ??= (async () => {
      clearInterval(factsTimer);
      readings.stop();
      checkResults.stop();
      await Promise.all([connection?.close(), runs.stopAll(), checks.stop()]);
      await status.update({ pid: null, connected: false, since: new Date().toISOString() });
      finish(code);
    })();
    return stopping;
  };

  connection = new AgentConnection({
    url: connectUrl(config.url),
    ca,
    agentId: identity.agentId,
    privateKey: identity.privateKey,
    hostname: hostname(),
    agentVersion: AGENT_VERSION,
    capabilities: ['facts', READINGS, 'checks'],
    heartbeatSeconds: config.heartbeatSeconds,
    log,
    handlers: {
      hello: () => runs.hello(),
      welcomed: (welcome: WelcomeMessage) => {
        void status.update({ connected: true, since: new Date().toISOString(), nodeId: welcome.nodeId, lastError: null });
        if (welcome.nodeId !== identity.nodeId) {
          identity.nodeId = welcome.nodeId;
          void updateNodeId(dirs, identity, welcome.nodeId).catch((err) => log.error(`cannot update ${files.identity}: ${errorMessage(err)}`));
        }
        wantFacts = Boolean(welcome.features.facts);
        sentFactsHash = undefined;
        runs.connected();
        readings.start(parseReadingsFeature(welcome.features));
        // A server that does not ask for checks gets no results (a type it has not asked for).
        setChecks(welcome.features.checks ?? []);
        checkResults.connected();
        void sendFacts(true).catch((err) => log.warn(`facts: ${errorMessage(err)}`));
      },
      message: (message: WorkMessage) => {
        if (message.type === 'run.offer') runs.offer(message.run);
        else if (message.type === 'run.cancel') runs.cancel(message.runId, message.reason);
        else if (message.type === 'checks.set') setChecks(message.checks);
        else runs.ack(message.runId, message.logSeq, message.finished);
      },
      heartbeat: () => ({ running: runs.runningIds().slice(0, 1000), ...(sentFactsHash ? { factsHash: sentFactsHash } : {}) }),
      tick: () => runs.tick(),
      disconnected: (reason) => {
        sentFactsHash = undefined;
        readings.stop();
        if (status.current.connected || status.current.lastError !== reason) void status.update({ connected: false, since: status.current.connected ? new Date().toISOString() : status.current.since, lastError: reason });
      },
      final: (code, reason) => {
        const name = CLOSE_NAMES[code] ?? String(code);
        log.error(`the server refused this agent (${code} ${name}${reason ? `: ${reason}` : ''}): ${FINAL_ADVICE[code] ?? 'not reconnecting'}`);
        void status.update({ lastError: `refused by the server (${code} ${name}): ${FINAL_ADVICE[code] ?? ''}` }).then(() => stop(EXIT_NEEDS_OPERATOR));
      },
    },
  });
  connection.start();
  log.info(`overmind-agent ${AGENT_VERSION} started as agent ${identity.agentId}, connecting to ${config.url}`);
  return { done, stop: () => stop(0) };
}
