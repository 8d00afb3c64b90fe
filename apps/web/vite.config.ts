import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `pnpm --filter @overmind/web dev` serves the console with hot reload and forwards the API (and its
// event stream) to a locally running `npm start`.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } } },
});
