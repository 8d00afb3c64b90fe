import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'driver-ec2', include: ['test/**/*.test.ts'] } });
