// Build the console page: web/client/main.ts and xterm.js bundled by esbuild into one
// console.js, xterm's stylesheet and ours into console.css, and index.html, all into one
// folder the server serves (dist/web-static; `make build` runs this).

import { build } from 'esbuild';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root, from here or from dist/web/. */
export function repoRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const up = path.resolve(here, '..');
  return path.basename(up) === 'dist' ? path.resolve(up, '..') : up;
}

/** Where the built page lives. */
export function staticDir(): string {
  return path.join(repoRoot(), 'dist', 'web-static');
}

export async function bundleConsole(out = staticDir()): Promise<string> {
  const root = repoRoot();
  const client = path.join(root, 'web', 'client');
  await mkdir(out, { recursive: true });
  await build({
    entryPoints: [path.join(client, 'main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    outfile: path.join(out, 'console.js'),
    logLevel: 'silent',
  });
  const require = createRequire(path.join(root, 'package.json'));
  const xtermCss = await readFile(require.resolve('@xterm/xterm/css/xterm.css'), 'utf8');
  await writeFile(path.join(out, 'console.css'), xtermCss + '\n' + (await readFile(path.join(client, 'style.css'), 'utf8')));
  await copyFile(path.join(client, 'index.html'), path.join(out, 'index.html'));
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const out = await bundleConsole();
  process.stdout.write(`cohesix: console page built in ${path.relative(process.cwd(), out)}\n`);
}
