import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'driver-digitalocean', include: ['test/**/*.test.ts'] } });
