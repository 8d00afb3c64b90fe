import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';

// Room beyond vitest's 5 s default for a busy 2-core CI running every project at once.
export default defineProject({
  plugins: [react()],
  test: { name: 'web', environment: 'happy-dom', environmentOptions: { happyDOM: { url: 'http://127.0.0.1:8080/' } }, include: ['test/**/*.test.tsx', 'test/**/*.test.ts'], testTimeout: 30_000 },
});
