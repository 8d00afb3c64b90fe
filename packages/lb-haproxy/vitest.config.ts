import { defineProject } from 'vitest/config';

// Real sshd and haproxy: a busy 2-core CI can stretch a login or a reload to seconds.
export default defineProject({
  test: { name: 'lb-haproxy', include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
