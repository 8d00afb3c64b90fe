import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'api',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Limits for a stuck test, not expectations: each file starts an app on its own database (scrypt
    // logins, migrations) and often a real sshd, and on a busy 2-core CI that alone can take a minute.
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // expect.poll's 1 s default is a blink for a browser or a worker on a busy machine.
    expect: { poll: { timeout: 15_000 } },
  },
});
