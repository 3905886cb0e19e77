import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHELL_CSP, serveAppRequest } from '../../../main/electron/app-protocol.ts';

function renderer(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'poplar-app-'));
  const dir = path.join(root, 'renderer');
  mkdirSync(path.join(dir, 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(dir, 'assets', 'app.js'), 'export {};');
  writeFileSync(path.join(root, 'secret.txt'), 'secret');
  return dir;
}

describe('the app:// protocol', () => {
  it('serves the built renderer with its types and the CSP', async () => {
    const dir = renderer();
    const index = await serveAppRequest(dir, new Request('app://poplar/'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(SHELL_CSP);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toBe('<!doctype html>');
    const script = await serveAppRequest(dir, new Request('app://poplar/assets/app.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const head = await serveAppRequest(dir, new Request('app://poplar/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses other hosts, other methods, missing files and paths out of the root', async () => {
    const dir = renderer();
    expect((await serveAppRequest(dir, new Request('app://other/index.html'))).status).toBe(404);
    expect((await serveAppRequest(dir, new Request('app://poplar/index.html', { method: 'POST' }))).status).toBe(405);
    expect((await serveAppRequest(dir, new Request('app://poplar/missing.js'))).status).toBe(404);
    for (const target of ['app://poplar/../secret.txt', 'app://poplar/%2e%2e/secret.txt', 'app://poplar/..%2fsecret.txt']) {
      const response = await serveAppRequest(dir, new Request(target));
      expect([400, 404]).toContain(response.status);
      expect(await response.text()).not.toContain('secret');
    }
  });
});
