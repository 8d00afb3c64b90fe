import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'cm', include: ['test/**/*.test.ts'] } });
