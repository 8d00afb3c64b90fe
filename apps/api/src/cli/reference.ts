import type { Command } from 'commander';
import { detailsOf, examplesOf } from './examples.js';

function walk(command: Command, path: string[]): { path: string[]; command: Command }[] {
  return [{ path, command }, ...command.commands.flatMap((c) => walk(c, [...path, c.name()]))];
}

/**
 * docs/cli.md, rendered from the parser's own definitions (each verb's `--help` text, at a fixed
 * width, and its examples): `pnpm --filter @overmind/api docs:cli` writes it, and a test fails when
 * the committed file differs.
 */
export function renderReference(program: Command): string {
  const out = [
    '# `overmind` command reference',
    '',
    '<!-- Generated from the command definitions by `pnpm --filter @overmind/api docs:cli`; do not edit by hand. -->',
    '',
    'Server verbs (`start`, `api`, `worker`, `migrate`, `admin`) run Overmind itself; client verbs drive a',
    'running Overmind through its API, as the user `overmind login` stored (or `OVERMIND_URL` and',
    '`OVERMIND_TOKEN`). See [cli-guide.md](cli-guide.md) for output formats, exit codes and completion.',
    '',
  ];
  for (const { path, command } of walk(program, [program.name()])) {
    if (command.name() === 'help') continue;
    command.configureHelp({ ...command.configureHelp(), helpWidth: 100 });
    out.push(`## ${path.join(' ')}`, '', '```text', command.helpInformation().trimEnd(), '```', '');
    const note = detailsOf(command);
    if (note) out.push(note.trimEnd(), '');
    const examples = examplesOf(command);
    if (examples.length) out.push('Example:', '', '```sh', ...examples, '```', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
