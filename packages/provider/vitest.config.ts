import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'provider', include: ['test/**/*.test.ts'] } });
