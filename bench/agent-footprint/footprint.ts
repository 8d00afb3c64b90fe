/**
 * The real agent's footprint on a node: the built bundle (`apps/agent/dist/overmind-agent.mjs`, built
 * first when missing) enrolled with and connected to a minimal protocol server on loopback (the
 * agent's test server), then left idle with a short heartbeat (5 s, three times the default's rate,
 * to be conservative), facts on and readings every 15 s (the default). Prints RSS (VmRSS, and VmHWM for the peak) and the CPU used over
 * the idle window (utime + stime from /proc/PID/stat) as % of one core, next to the targets.
 * Run: npm run bench -- agent; with an argument: bash scripts/pnpm.sh --filter @overmind/bench run bench:agent [idle-seconds=60]
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, waitFor } from '../bench-support.js';
// The agent's own loopback protocol server (test support, imported by path as ssh-fanout does).
import { makeAgentHome } from '../../apps/agent/test/support/agent-process.js';
import { deadlineIn, ProtocolServer } from '../../apps/agent/test/support/protocol-server.js';

const run = promisify(execFile);
const IDLE_SECONDS = Number(process.argv[2] ?? 60);
const HEARTBEAT_SECONDS = 5;
const READINGS_SECONDS = 15;
const WARM_UP_SECONDS = 10;
const AGENT = join(ROOT, 'apps/agent');
const BUNDLE = join(AGENT, 'dist/overmind-agent.mjs');
const MiB = 2 ** 20;

type Row = [measure: string, result: string, target: string, met: string];

/** VmRSS, its private part (RssAnon: what this process alone costs; the rest is mostly node's own binary, shared), and the peak. */
async function procStatus(pid: number): Promise<{ rss: number; anon: number; hwm: number }> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), anon: kib('RssAnon'), hwm: kib('VmHWM') };
}

/** utime + stime of a process, in seconds. */
async function cpuSeconds(pid: number, ticksPerSecond: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of proc(5), counted from the state (field 3) here.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

async function main(): Promise<void> {
  if (!existsSync(BUNDLE)) await run(process.execPath, [join(AGENT, 'scripts/build-bundle.mjs')], { cwd: AGENT });
  const release = JSON.parse(await readFile(join(AGENT, 'dist/release.json'), 'utf8')) as { version: string; bytes: number };
  const ticksPerSecond = Number((await run('getconf', ['CLK_TCK'])).stdout.trim()) || 100;
  const server = await ProtocolServer.start({ heartbeatSeconds: HEARTBEAT_SECONDS, features: { facts: true, readings: { intervalSeconds: READINGS_SECONDS } } });
  const home = await makeAgentHome({ bundle: BUNDLE });
  const scratch = await mkdtemp(join(tmpdir(), 'overmind-agent-footprint-'));
  const rows: Row[] = [];
  try {
    await home.enroll(server.url, server.token());
    const agent = home.start();
    const pid = agent.child.pid!;
    await waitFor(async () => (server.welcomedSessions().length > 0 ? true : undefined), 'the agent to connect', 30_000, 50);
    // One small command run first, so the idle agent is one that has worked (run code loaded, journal written).
    server.offer({ id: 'warm-up', kind: 'command', deadline: deadlineIn(60), spec: { command: 'uname -a', timeoutSeconds: 30 } });
    await waitFor(async () => (server.runs.get('warm-up')?.result ? true : undefined), 'the warm-up run', 30_000, 50);
    await new Promise((r) => setTimeout(r, WARM_UP_SECONDS * 1000));

    const beatsBefore = server.received('heartbeat').length;
    const readingsBefore = server.received('readings').length;
    const cpuStart = await cpuSeconds(pid, ticksPerSecond);
    const wallStart = performance.now();
    let maxRss = 0;
    for (let s = 0; s < IDLE_SECONDS; s++) {
      await new Promise((r) => setTimeout(r, 1000));
      maxRss = Math.max(maxRss, (await procStatus(pid)).rss);
    }
    const cpuUsed = (await cpuSeconds(pid, ticksPerSecond)) - cpuStart;
    const wall = (performance.now() - wallStart) / 1000;
    const { rss, anon, hwm } = await procStatus(pid);
    const beats = server.received('heartbeat').length - beatsBefore;
    const readings = server.received('readings').length - readingsBefore;
    const cpuPercent = (cpuUsed / wall) * 100;
    rows.push(
      ['Bundle size', `${(release.bytes / 1024).toFixed(0)} KiB`, '', ''],
      [`RSS idle (end / max over ${IDLE_SECONDS} s)`, `${(rss / MiB).toFixed(1)} MiB / ${(maxRss / MiB).toFixed(1)} MiB`, '< 60 MiB', maxRss < 60 * MiB ? 'yes' : 'no'],
      ['— of which private (RssAnon; the rest is mostly the node binary, shared)', `${(anon / MiB).toFixed(1)} MiB`, '', ''],
      ['Peak RSS since start (VmHWM)', `${(hwm / MiB).toFixed(1)} MiB`, '', ''],
      [`CPU idle over ${wall.toFixed(0)} s (${beats} heartbeats + pings, ${readings} readings)`, `${cpuPercent.toFixed(2)} % of one core (${(cpuUsed * 1000).toFixed(0)} ms)`, '< 1 %', cpuPercent < 1 ? 'yes' : 'no'],
    );
    await agent.stop();
  } finally {
    await server.close();
    await home.remove();
    await rm(scratch, { recursive: true, force: true });
  }
  console.log(`\n${new Date().toISOString().slice(0, 10)}: overmind-agent ${release.version} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, heartbeat ${HEARTBEAT_SECONDS} s, readings ${READINGS_SECONDS} s\n`);
  console.log('| Measure | Result | Target | Met |\n| --- | --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
