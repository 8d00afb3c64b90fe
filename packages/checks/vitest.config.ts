import { defineProject } from 'vitest/config';

// Room beyond vitest's 5 s default for a busy 2-core CI running every project at once.
export default defineProject({ test: { name: 'checks', include: ['test/**/*.test.ts'], testTimeout: 30_000 } });
