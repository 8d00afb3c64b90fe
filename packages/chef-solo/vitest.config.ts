import { defineProject } from 'vitest/config';

// Pushes to a real sshd: seconds each on a busy 2-core machine, well past vitest's 5 s default.
export default defineProject({
  test: { name: 'chef-solo', include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
