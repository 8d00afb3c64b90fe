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
    // Each file makes its own app, database and peers, and leaves no module state behind it (mocks
    // are restored, env is passed to the app, never set on process.env), so a worker keeps the modules
    // it loaded for its next file: importing the app again for every file took a quarter of the time.
    isolate: false,
  },
});
