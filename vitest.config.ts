import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongFirstSequencer } from './vitest.sequencer.js';

// Each app and package is its own project with its own vitest.config.ts.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine, where
    // most test time is spent waiting on real peers (sshd, agents, Chromium, Postgres), not computing.
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: LongFirstSequencer },
  },
});
