import { buildProgram } from './cli/program.js';
import { runProgram } from './cli/run.js';

await runProgram(buildProgram(), process.argv);
