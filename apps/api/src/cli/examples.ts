import type { Command } from 'commander';

const examples = new WeakMap<Command, string[]>();

/**
 * Adds examples to a verb's `--help` and remembers them for the generated reference (docs/cli.md),
 * which is rendered from the same definitions.
 */
export function example<C extends Command>(command: C, ...lines: string[]): C {
  examples.set(command, [...(examples.get(command) ?? []), ...lines]);
  command.addHelpText('after', `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
  return command;
}

export const examplesOf = (command: Command): string[] => examples.get(command) ?? [];

const notes = new WeakMap<Command, string>();

/** A paragraph after a verb's options in `--help`, and in the generated reference. */
export function details<C extends Command>(command: C, text: string): C {
  notes.set(command, text);
  command.addHelpText('after', `\n${text}`);
  return command;
}

export const detailsOf = (command: Command): string | undefined => notes.get(command);
