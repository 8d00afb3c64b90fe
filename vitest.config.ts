import { defineConfig } from 'vitest/config';

// Each app and package is its own project with its own vitest.config.ts.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
