import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeFor, resolveStaticPath } from '../../../main/security/static-files.ts';

const ROOT = path.resolve('/srv/poplar/dist/renderer');

describe('static file paths', () => {
  it('maps request paths inside the root, / to index.html, ignoring the query', () => {
    expect(resolveStaticPath(ROOT, '/')).toEqual({ ok: true, file: path.join(ROOT, 'index.html') });
    expect(resolveStaticPath(ROOT, '/?token=abc')).toEqual({ ok: true, file: path.join(ROOT, 'index.html') });
    expect(resolveStaticPath(ROOT, '/assets/app-1a2b.js')).toEqual({ ok: true, file: path.join(ROOT, 'assets', 'app-1a2b.js') });
    expect(resolveStaticPath(ROOT, '/assets//x%20y.css')).toEqual({ ok: true, file: path.join(ROOT, 'assets', 'x y.css') });
  });

  it.each([
    '/..',
    '/../package.json',
    '/assets/../../package.json',
    '/%2e%2e/package.json',
    '/%2E%2e%2Fpackage.json',
    '/..%2F..%2Fetc%2Fpasswd',
    '/a\\..\\..\\b',
    '/%5c..%5cpackage.json',
    '/x%00.js',
    '/.env',
    '/.vite/manifest.json',
    '/%',
    'package.json',
    'http://127.0.0.1/index.html',
  ])('refuses %s', (target) => {
    expect(resolveStaticPath(ROOT, target)).toEqual({ ok: false, status: 400 });
  });

  it('knows the types the renderer build emits', () => {
    expect(contentTypeFor('index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('a.woff2')).toBe('font/woff2');
    expect(contentTypeFor('a.wasm')).toBe('application/wasm');
    expect(contentTypeFor('LICENSE')).toBe('application/octet-stream');
  });
});
