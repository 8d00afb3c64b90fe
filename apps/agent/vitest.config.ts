import { defineProject } from 'vitest/config';

// Real agent processes against a loopback protocol server: limits for a stuck test on a busy 2-core CI, not expectations.
export default defineProject({
  test: {
    name: 'agent',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    expect: { poll: { timeout: 30_000, interval: 100 } },
  },
});
