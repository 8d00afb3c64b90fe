import { defineProject } from 'vitest/config';

// Real libvirtd + sshd: domain operations take a second or two each; a cold libvirtd probes QEMU first.
export default defineProject({
  test: { name: 'driver-libvirt', include: ['test/**/*.test.ts'], testTimeout: 90_000, hookTimeout: 120_000 },
});
