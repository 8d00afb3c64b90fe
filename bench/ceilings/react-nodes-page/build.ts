/**
 * Builds the React-alone page (main.js) the way the console is built: Vite, production mode,
 * minified, with the React and react-dom versions the console uses (the same ranges, one
 * lockfile). Returns the built scripts' names and texts.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const HERE = dirname(fileURLToPath(import.meta.url));

export async function buildReactNodesPage(outDir: string): Promise<Record<string, string>> {
  await build({
    configFile: false,
    logLevel: 'warn',
    mode: 'production',
    root: HERE,
    build: { outDir, emptyOutDir: true, rollupOptions: { input: join(HERE, 'main.js'), output: { entryFileNames: '[name]-[hash].js', chunkFileNames: '[name]-[hash].js' } } },
  });
  const files: Record<string, string> = {};
  for (const f of await readdir(outDir)) if (f.endsWith('.js')) files[f] = await readFile(join(outDir, f), 'utf8');
  return files;
}

/** The page's HTML: the console's stylesheet, the root element and the built module script. */
export function reactNodesPage(opts: { cssHref: string | null; jsonHref: string; scriptHref: string }): string {
  const css = opts.cssHref ? `<link rel="stylesheet" href="${opts.cssHref}">` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Nodes (React alone)</title>${css}
<script type="module" src="${opts.scriptHref}"></script></head>
<body><div id="root" data-json="${opts.jsonHref}"></div></body></html>
`;
}
