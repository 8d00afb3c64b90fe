// Builds the agent as ONE self-contained file for nodes (no node_modules there): dist/overmind-agent.mjs
// and dist/release.json {version, sha256, bytes, file}, which the API serves with the download.
// Usage: node scripts/build-bundle.mjs [outdir]
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(process.argv[2] ?? join(root, 'dist'));
const file = 'overmind-agent.mjs';
const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

await mkdir(outdir, { recursive: true });
await build({
  entryPoints: [join(root, 'src/main.ts')],
  outfile: join(outdir, file),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // jsonc-parser's `main` is a UMD build whose require() calls a bundler cannot follow; its ESM build is fine.
  mainFields: ['module', 'main'],
  minify: true,
  // Readable names in the rare error that still says where it happened.
  keepNames: true,
  legalComments: 'none',
  define: { __OVERMIND_AGENT_VERSION__: JSON.stringify(version) },
  // ws loads these optional native speed-ups in a try/catch: left out, it uses its JavaScript code.
  external: ['bufferutil', 'utf-8-validate'],
  banner: {
    // CommonJS dependencies (ws, commander, tar) call require() for Node's own modules.
    js: "#!/usr/bin/env node\nimport { createRequire as __overmindCreateRequire } from 'node:module';\nconst require = __overmindCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
const bundle = await readFile(join(outdir, file));
await chmod(join(outdir, file), 0o755);
const release = { version, sha256: createHash('sha256').update(bundle).digest('hex'), bytes: bundle.length, file };
await writeFile(join(outdir, 'release.json'), `${JSON.stringify(release, null, 2)}\n`);
// The release is one directory: what the API hands out (GET /api/v1/agent/install.sh, .../overmind-agent.service).
for (const name of ['install.sh', 'overmind-agent.service']) await copyFile(join(root, 'deploy', name), join(outdir, name));
console.log(`${file} ${version}: ${(bundle.length / 1024).toFixed(0)} KiB, sha256 ${release.sha256}`);
