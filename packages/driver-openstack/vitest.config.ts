import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'driver-openstack', include: ['test/**/*.test.ts'] } });
