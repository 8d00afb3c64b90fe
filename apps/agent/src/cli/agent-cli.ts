/** The `overmind-agent` command line: enroll, run, status, version. */
import { Command } from 'commander';
import { createAgentLog } from '../agent-log.js';
import { startAgent } from '../agent-service.js';
import { resolveDirs, type DirOverrides } from '../config/agent-dirs.js';
import { AGENT_VERSION } from '../version.js';
import { enroll, type EnrollOptions } from './enroll-command.js';
import { printStatus } from './status-command.js';

export interface CliIo {
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadableStream;
  out(line: string): void;
  /** Sets the exit code the process ends with. */
  exit(code: number): void;
}

export function buildCli(io: CliIo): Command {
  const program = new Command('overmind-agent')
    .description('The Overmind agent: keeps one connection to Overmind and runs what it is given on this node')
    .option('--config-dir <dir>', 'settings directory (default /etc/overmind-agent, or OVERMIND_AGENT_CONFIG_DIR)')
    .option('--state-dir <dir>', 'state directory (default /var/lib/overmind-agent, or OVERMIND_AGENT_STATE_DIR)')
    .showHelpAfterError();
  const dirsOf = (command: Command) => resolveDirs(command.optsWithGlobals<DirOverrides>(), io.env);

  program
    .command('enroll')
    .description('join Overmind with a one-time token: makes this agent\'s key pair and stores its identity')
    .requiredOption('--url <url>', 'Overmind\'s address, e.g. https://overmind.example.com')
    .option('--token <token>', 'the join token, or - to read it from stdin (prefer --token-file or stdin: a command line is visible to other users)')
    .option('--token-file <file>', 'a file holding the join token')
    .option('--ca-file <file>', 'PEM file of a private CA that signed Overmind\'s certificate')
    .option('--user <user>', 'the user the service runs as (recorded in agent.json)')
    .option('--force', 'enrol again even if already enrolled (a new key and identity)')
    .action(async (options: EnrollOptions, command: Command) => {
      await enroll(dirsOf(command), options, io.stdin, io.out);
    });

  program
    .command('run')
    .description('run the agent in the foreground (what the systemd service runs)')
    .action(async (_options: unknown, command: Command) => {
      const log = createAgentLog();
      const agent = await startAgent(dirsOf(command), log);
      const onSignal = (signal: string) => {
        log.info(`${signal}: stopping`);
        void agent.stop();
      };
      process.once('SIGTERM', () => onSignal('SIGTERM'));
      process.once('SIGINT', () => onSignal('SIGINT'));
      const code = await agent.done;
      log.info(code === 0 ? 'stopped' : `stopped with exit code ${code}`);
      io.exit(code);
    });

  program
    .command('status')
    .description('connected or not and since when, agent and node ids, server, last run, version; exit 0 connected, 1 not, 2 not enrolled')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      io.exit(await printStatus(dirsOf(command), options.json === true, io.out));
    });

  program
    .command('version')
    .description('print the agent\'s version')
    .action(() => io.out(AGENT_VERSION));

  return program;
}
