import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

// `pnpm --filter @overmind/web dev` serves the console with hot reload and forwards the API (and its
// event stream) to a locally running `npm start`.
// The build writes brotli and gzip copies next to each script and stylesheet, which the API sends to browsers that
// accept them (index.html is not among them: the API stamps each copy with its own nonce).
export default defineConfig({
  plugins: [react(), compression({ include: /\.(js|css|svg|json)$/, algorithms: ['brotliCompress', 'gzip'], logLevel: 'silent' })],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } } },
});
