/**
 * `vite build` with the product's own config into a folder of the caller's, in a child process: Vitest sets
 * NODE_ENV=test, which Vite would bake into the bundle (React's development build). The result is the production
 * build `npm run build:renderer` makes, only elsewhere and without source maps. Used by the end-to-end tests and
 * the Chromium benchmark.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITE_CLI = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

export function buildRenderer(outDir: string, timeoutMs = 180_000): Promise<void> {
  const env = { ...process.env };
  delete env.NODE_ENV;
  const args = [VITE_CLI, 'build', '--config', path.join(REPO_ROOT, 'vite.config.ts'), '--outDir', outDir,
    '--emptyOutDir', '--sourcemap', 'false', '--logLevel', 'warn'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`vite build failed (exit ${String(code ?? signal)}):\n${output}`));
    });
  });
}
