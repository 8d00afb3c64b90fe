import { defineProject } from 'vitest/config';

// Real sshd / ipmi_sim: a busy 2-core CI can stretch a login or a BMC session to seconds.
export default defineProject({
  test: { name: 'baremetal', include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
