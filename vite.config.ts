/**
 * The window's build: renderer/ is the page's root; the output goes to dist/renderer/ with relative URLs, so the
 * same files load from file://, from Electron's app:// scheme, and from the browser bridge on http://127.0.0.1.
 * Nothing is fetched from another origin and nothing is inlined, so index.html's CSP (script-src 'self',
 * style-src 'self') holds for the built page.
 */
import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { RENDER_VERSION_PACKAGES, RENDER_VERSION_SOURCES } from './renderer/reading/render-version.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * renderer/reading/render-version.ts: a hash of the sources that make a prepared view and of the installed
 * versions of the libraries under them. A stored view made by anything else is never shown.
 */
function renderVersion(): string {
  const hash = createHash('sha256');
  for (const file of RENDER_VERSION_SOURCES) hash.update(`${file}\0${readFileSync(here(`./${file}`), 'utf8')}\0`);
  for (const name of RENDER_VERSION_PACKAGES) {
    const { version } = JSON.parse(readFileSync(here(`./node_modules/${name}/package.json`), 'utf8')) as { version: string };
    hash.update(`${name}@${version}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The dev server injects an inline script (React Fast Refresh's preamble) and talks to its own HMR socket, which
 * the page's CSP refuses. Only while serving, and only there, the policy admits them; a build is never changed.
 */
function devServerCsp(): Plugin {
  return {
    name: 'poplar-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws: http://127.0.0.1:* http://localhost:*");
    },
  };
}

export default defineConfig({
  root: here('./renderer'),
  base: './',
  publicDir: false,
  plugins: [react(), devServerCsp()],
  define: { __POPLAR_RENDER_VERSION__: JSON.stringify(renderVersion()) },
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    // Everything as files of this origin: no data: URLs, no module-preload polyfill.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'chrome130',
    // One local bundle, read from disk or loopback: its size is not a download concern.
    chunkSizeWarningLimit: 1024,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
