/**
 * `tsx main/electron/build.ts [--out-dir DIR]`: bundles the Electron shell for packaging (the renderer is built
 * apart, by `vite build`). Two bundles, because the two processes load code differently:
 *
 * - `main.js`: the main process, ESM (Electron ≥ 28 loads ESM mains). Everything bundled except `electron` and
 *   Node's built-ins, so the package needs no node_modules.
 * - `preload.cjs`: the preload. A sandboxed preload cannot import modules (only `electron` and a few built-ins
 *   through `require`), so it is one CommonJS file with `electron` left external.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const NODE_BUILTINS = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

async function bundle(entry: string, outDir: string, format: 'es' | 'cjs', fileName: string, external: string[]): Promise<void> {
  await build({
    configFile: false,
    root: REPO,
    logLevel: 'warn',
    ssr: { noExternal: true, target: 'node' },
    build: {
      ssr: path.join(HERE, entry),
      outDir,
      emptyOutDir: false,
      target: 'node22',
      minify: false,
      sourcemap: false,
      rollupOptions: { external, output: { format, entryFileNames: fileName } },
    },
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
  const outDir = path.resolve(values['out-dir'] ?? path.join(REPO, 'dist', 'main', 'electron'));
  await bundle('main.ts', outDir, 'es', 'main.js', ['electron', ...NODE_BUILTINS]);
  await bundle('preload.ts', outDir, 'cjs', 'preload.cjs', ['electron']);
  process.stdout.write(`Electron shell bundled in ${outDir}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`build: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
