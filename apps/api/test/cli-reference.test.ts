import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { bashCompletion, fishCompletion } from '../src/cli/completion.js';
import { examplesOf } from '../src/cli/examples.js';
import { buildProgram } from '../src/cli/program.js';
import { renderReference } from '../src/cli/reference.js';
import { explain } from '../src/cli/run.js';

const DOCS = fileURLToPath(new URL('../../../docs/cli.md', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const leaves = (c: Command): Command[] => (c.commands.length ? c.commands.filter((s) => s.name() !== 'help').flatMap(leaves) : [c]);

describe('the overmind command reference', () => {
  it('docs/cli.md is what the command definitions render (pnpm --filter @overmind/api docs:cli)', async () => {
    expect(await readFile(DOCS, 'utf8')).toBe(renderReference(buildProgram()));
  });

  it('every verb has an example in its --help', () => {
    const missing = leaves(buildProgram()).filter((c) => examplesOf(c).length === 0).map((c) => c.name());
    expect(missing).toEqual([]);
  });
});

describe('exit codes of the parser', () => {
  /** The exit code `overmind <args>` ends with, when the parser alone decides (no verb runs). */
  async function exitCodeOf(args: string[]): Promise<number> {
    const program = buildProgram();
    const silent = (c: Command): void => {
      c.configureOutput({ writeOut: () => {}, writeErr: () => {} });
      c.commands.forEach(silent);
    };
    silent(program);
    try {
      await program.parseAsync(args, { from: 'user' });
      return 0;
    } catch (err) {
      return explain(err).exitCode;
    }
  }

  it('usage errors end with 2; help and version asked for with 0', async () => {
    expect(await exitCodeOf(['nodes', 'frobnicate'])).toBe(2);
    expect(await exitCodeOf(['nodes', 'list', '--output', 'xml'])).toBe(2);
    expect(await exitCodeOf(['nodes', 'list', '--limit', 'many'])).toBe(2);
    expect(await exitCodeOf(['nodes', 'list', '--no-such-option'])).toBe(2);
    expect(await exitCodeOf(['completion'])).toBe(2);
    expect(await exitCodeOf(['nodes'])).toBe(2);
    expect(await exitCodeOf(['nodes', 'list', '--help'])).toBe(0);
    expect(await exitCodeOf(['--version'])).toBe(0);
  });
});

describe('shell completion', () => {
  it('bash completes verbs, sub-verbs, options and option choices from the parser definitions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'overmind-completion-'));
    dirs.push(dir);
    const script = join(dir, 'overmind.bash');
    await writeFile(script, bashCompletion(buildProgram()));
    // Each line: the words typed so far (the last one being completed) → what bash offers.
    const probe = (words: string[]) =>
      `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _overmind; echo "\${COMPREPLY[*]}"`;
    const cases: [string[], string][] = [
      [['overmind', 'no'], 'nodes'],
      [['overmind', 'nodes', 'l'], 'list'],
      [['overmind', 'nodes', 'list', '--st'], '--state'],
      [['overmind', 'nodes', 'list', '-o', ''], 'table json yaml'],
      [['overmind', 'completion', 'f'], ''],
      [['overmind', 'providers', 'add', 'lab', '--ty'], '--type'],
    ];
    const { stdout } = await promisify(execFile)('bash', ['-c', `source ${script}\n${cases.map(([w]) => probe(w)).join('\n')}`]);
    expect(stdout.split('\n').slice(0, cases.length)).toEqual(cases.map(([, expected]) => expected));
  });

  it('fish gets a line per sub-verb and per option', () => {
    const fish = fishCompletion(buildProgram());
    expect(fish).toContain("complete -c overmind -n '__fish_use_subcommand' -a nodes -d");
    expect(fish).toContain("complete -c overmind -n '__fish_seen_subcommand_from nodes; and not __fish_seen_subcommand_from list show create");
    expect(fish).toMatch(/-n '__fish_seen_subcommand_from nodes; and __fish_seen_subcommand_from list' -l output -s o -x -a 'table json yaml'/);
  });
});
