#!/usr/bin/env node
// Overmind's workspace packages ship TypeScript source ("internal packages"), so the service runs
// its sources through tsx's loader rather than a bundle: every package then resolves its own
// dependencies from its own node_modules, exactly as in the tests.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
