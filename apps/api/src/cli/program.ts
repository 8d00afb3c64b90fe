import { Argument, Command } from 'commander';
import { VERSION } from '../version.js';
import { addJobCommands } from './client/commands/jobs.js';
import { addLoginCommands } from './client/commands/login.js';
import { addNodeCommands } from './client/commands/nodes.js';
import { addProviderCommands } from './client/commands/providers.js';
import { addKitchenCommands, addRoleCommands } from './client/commands/roles.js';
import { addTokenCommands, addUserCommands } from './client/commands/access.js';
import { bashCompletion, fishCompletion, zshCompletion } from './completion.js';
import { example } from './examples.js';
import { addServerCommands } from './server-commands.js';

/**
 * The whole `overmind` command: server verbs (run Overmind) and client verbs (drive a running one
 * through the SDK). Built fresh on each call; docs/cli.md and the completion scripts are rendered
 * from these same definitions.
 */
export function buildProgram(): Command {
  const program = new Command('overmind')
    .description('One control plane for public clouds, private clouds and dedicated servers')
    .version(VERSION)
    // Usage errors end with exit code 2 (see failures.ts); the caller decides, nothing exits here.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  addServerCommands(program);
  addLoginCommands(program);
  addNodeCommands(program);
  addProviderCommands(program);
  addJobCommands(program);
  addRoleCommands(program);
  addKitchenCommands(program);
  addUserCommands(program);
  addTokenCommands(program);
  example(
    program
      .command('completion')
      .description('Print a shell completion script (bash, zsh or fish)')
      .addArgument(new Argument('<shell>').choices(['bash', 'zsh', 'fish']))
      .action((shell: 'bash' | 'zsh' | 'fish') => {
        const render = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion }[shell];
        process.stdout.write(render(program));
      }),
    'source <(overmind completion bash)        # in ~/.bashrc',
    'overmind completion zsh > "${fpath[1]}/_overmind"',
    'overmind completion fish > ~/.config/fish/completions/overmind.fish',
  );
  return program;
}
