/** The demo's command line and the servers it starts, without a browser. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPreview } from '../../../app/mail/preview.ts';
import {
  accountInstructions,
  DEFAULT_DEMO_POP3_PORT,
  DEFAULT_DEMO_PORT,
  demoChromiumArgs,
  hasDisplay,
  parseDemoArgs,
} from '../../../main/demo/demo-options.ts';
import { Pop3Session } from '../../../main/pop3/session.ts';
import { startDemo, type Demo } from '../../../main/demo/run-demo.ts';

const NOW = Date.UTC(2025, 5, 1, 8, 0);

describe('the demo command line', () => {
  it('has fixed ports by default, and takes others', () => {
    const plain = parseDemoArgs([], '/srv/renderer');
    expect(plain).toMatchObject({ open: false, port: DEFAULT_DEMO_PORT, pop3Port: DEFAULT_DEMO_POP3_PORT, staticDir: '/srv/renderer', dataDir: undefined });
    const given = parseDemoArgs(['--open', '--port', '0', '--pop3-port', '2110', '--data-dir', '/tmp/p'], '/srv/renderer');
    expect(given).toMatchObject({ open: true, port: 0, pop3Port: 2110, dataDir: '/tmp/p' });
  });

  it('refuses what is not a port, the same port twice, and unknown options', () => {
    expect(() => parseDemoArgs(['--port', '70000'], '/r')).toThrow(/not a port/);
    expect(() => parseDemoArgs(['--pop3-port', 'x'], '/r')).toThrow(/not a port/);
    expect(() => parseDemoArgs(['--port', '2000', '--pop3-port', '2000'], '/r')).toThrow(/differ/);
    expect(() => parseDemoArgs(['--frob'], '/r')).toThrow();
  });

  it('knows when there is a display, and drops the sandbox only as root', () => {
    expect(hasDisplay({})).toBe(false);
    expect(hasDisplay({ DISPLAY: '' })).toBe(false);
    expect(hasDisplay({ DISPLAY: ':0' })).toBe(true);
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(demoChromiumArgs('file:///x/open.html', false)).not.toContain('--no-sandbox');
    expect(demoChromiumArgs('file:///x/open.html', true)).toContain('--no-sandbox');
    expect(demoChromiumArgs('file:///x/open.html', true)).toContain('--app=file:///x/open.html');
  });
});

describe('the demo servers', () => {
  let demo: Demo;
  let staticDir: string;

  beforeAll(async () => {
    staticDir = mkdtempSync(path.join(os.tmpdir(), 'poplar-demo-test-'));
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    demo = await startDemo({ staticDir, bridgePort: 0, pop3Port: 0, version: '0.0.0-test', now: () => NOW });
  });

  afterAll(async () => {
    await demo.close();
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('tells what to type into "Add account", and the values log in', async () => {
    const text = accountInstructions(demo.account);
    for (const value of ['127.0.0.1', String(demo.pop3.port), 'None (not encrypted)', 'demo', 'Allow sending the password unencrypted']) {
      expect(text).toContain(value);
    }
    const session = await Pop3Session.connect({ host: demo.account.host, port: demo.account.port, security: demo.account.security });
    try {
      await session.authenticate({ user: demo.account.user, password: demo.account.password, allowPlaintextPassword: true });
      expect((await session.uidl()).length).toBe(demo.pop3.messages().length);
      await session.quit();
    } finally {
      session.abort('test over');
    }
  });

  it('serves the pictures the sample mail links to, and nothing else', async () => {
    const hero = await fetch(`${demo.imageBase}/contour-hero.png?r=1`);
    expect(hero.status).toBe(200);
    expect(hero.headers.get('content-type')).toBe('image/png');
    expect((await fetch(`${demo.imageBase}/missing.png`)).status).toBe(404);
    expect((await fetch(`${demo.imageBase}/../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${demo.imageBase}/contour-hero.png`, { method: 'POST' })).status).toBe(404);
  });

  it('delivers new mail dated now', () => {
    const before = demo.pop3.messages().length;
    const message = demo.deliver();
    expect(demo.pop3.messages()).toHaveLength(before + 1);
    expect(extractPreview(message.bytes).date).toBe(NOW);
  });

  it('serves the window on the bridge, behind its token', async () => {
    expect((await fetch(demo.bridge.url)).status).toBe(200);
    expect(demo.bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });
});
