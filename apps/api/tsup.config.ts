import { defineConfig } from 'tsup';

// Bundles the service with the workspace packages it uses (they ship TypeScript source);
// everything from npm stays external and is loaded from node_modules.
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
  noExternal: [/^@overmind\//],
});
