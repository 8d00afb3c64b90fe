import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'chef-solo', include: ['test/**/*.test.ts'] } });
