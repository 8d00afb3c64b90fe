// Writes docs/cli.md from the `overmind` command's definitions (apps/api/test/cli-reference.test.ts checks it).
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '../src/cli/program.js';
import { renderReference } from '../src/cli/reference.js';

const target = fileURLToPath(new URL('../../../docs/cli.md', import.meta.url));
await writeFile(target, renderReference(buildProgram()));
process.stdout.write(`wrote ${target}\n`);
