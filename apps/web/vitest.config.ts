import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';

export default defineProject({
  plugins: [react()],
  test: { name: 'web', environment: 'happy-dom', environmentOptions: { happyDOM: { url: 'http://127.0.0.1:8080/' } }, include: ['test/**/*.test.tsx', 'test/**/*.test.ts'] },
});
