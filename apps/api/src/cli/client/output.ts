import Table from 'cli-table3';
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';

export type OutputFormat = 'table' | 'json' | 'yaml';

export interface OutputOptions {
  output: OutputFormat;
  quiet?: boolean;
}

/** `--output` and `--quiet`, on every verb that prints API objects. */
export function withOutputOptions<C extends Command>(command: C): C {
  command.addOption(new Option('-o, --output <format>', 'table for people, json or yaml for scripts').choices(['table', 'json', 'yaml']).default('table'));
  command.option('-q, --quiet', 'print only ids, one a line');
  return command;
}

/** A column: its heading and how to read it from an item. */
export type Columns<T> = [heading: string, read: (item: T) => unknown][];

function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (Array.isArray(value)) return value.length ? value.map(cell).join(',') : '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Columns aligned with spaces, no borders: readable, and still easy to cut or awk. */
export function table<T>(items: T[], columns: Columns<T>): string {
  const t = new Table({
    head: columns.map(([heading]) => heading),
    chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const item of items) t.push(columns.map(([, read]) => cell(read(item))));
  return `${t.toString().split('\n').map((l) => l.trimEnd()).join('\n')}\n`;
}

export function write(text: string): void {
  process.stdout.write(text);
}

/** Prints a list: a table, JSON or YAML of the items, or their ids. */
export function printList<T extends { id: string }>(items: T[], columns: Columns<T>, opts: OutputOptions): void {
  if (opts.quiet) return write(items.map((i) => `${i.id}\n`).join(''));
  if (opts.output === 'json') return write(`${JSON.stringify(items, null, 2)}\n`);
  if (opts.output === 'yaml') return write(stringify(items));
  write(items.length ? table(items, columns) : 'nothing found\n');
}

/** Prints one object: its fields as two columns, JSON or YAML, or its id. */
export function printOne<T extends { id: string }>(item: T, fields: Columns<T>, opts: OutputOptions): void {
  if (opts.quiet) return write(`${item.id}\n`);
  if (opts.output === 'json') return write(`${JSON.stringify(item, null, 2)}\n`);
  if (opts.output === 'yaml') return write(stringify(item));
  const width = Math.max(...fields.map(([h]) => h.length));
  write(fields.map(([heading, read]) => `${`${heading}:`.padEnd(width + 2)}${cell(read(item))}\n`).join(''));
}

/** Progress and notes go to standard error, so standard output stays what a script parses. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}
