/**
 * Serving the built renderer (`dist/renderer/`) to the window, in both hosts: the bridge's HTTP server and the
 * Electron shell's `app://` protocol. Only regular files inside the root are served; a path that tries to leave
 * it (`..`, encoded or not, a backslash, a NUL, a symbolic link pointing out) is refused, and so are dot-files.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export type StaticPath = { readonly ok: true; readonly file: string } | { readonly ok: false; readonly status: 400 };

export type StaticFile =
  | { readonly status: 200; readonly body: Buffer; readonly contentType: string }
  | { readonly status: 400 | 404 };

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a request path (as sent, percent-encoded, possibly with a query) to a file under `root`, or refuses it.
 * `/` is `index.html`. Pure: it does not look at the disk (see `readStaticFile` for the symbolic-link check).
 */
export function resolveStaticPath(root: string, requestPath: string): StaticPath {
  const pathname = requestPath.split(/[?#]/, 1)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (!decoded.startsWith('/') || decoded.includes('\\') || decoded.includes('\0')) return { ok: false, status: 400 };
  const segments = decoded.split('/').filter((s) => s !== '');
  // `.` and `..` would leave or confuse the root; other dot-files (.vite/, .DS_Store) are not part of the app.
  if (segments.some((s) => s.startsWith('.'))) return { ok: false, status: 400 };
  const base = path.resolve(root);
  const file = path.resolve(base, ...(segments.length === 0 ? ['index.html'] : segments));
  if (!file.startsWith(base + path.sep)) return { ok: false, status: 400 };
  return { ok: true, file };
}

/** Reads a file for a request path: 200 with its bytes and type, 400 when refused, 404 when absent. */
export async function readStaticFile(root: string, requestPath: string): Promise<StaticFile> {
  const resolved = resolveStaticPath(root, requestPath);
  if (!resolved.ok) return { status: 400 };
  try {
    // A symbolic link inside the root must not lead out of it.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(resolved.file)]);
    if (!realFile.startsWith(realRoot + path.sep)) return { status: 400 };
    if (!(await stat(realFile)).isFile()) return { status: 404 };
    return { status: 200, body: await readFile(realFile), contentType: contentTypeFor(realFile) };
  } catch {
    return { status: 404 };
  }
}
