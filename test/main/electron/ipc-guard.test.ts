import { describe, expect, it } from 'vitest';
import { isAppUrl, isNavigationAllowed, isTrustedSender, type TrustedWindow } from '../../../main/electron/ipc-guard.ts';

const WINDOW: TrustedWindow = { webContentsId: 3, mainFrame: { processId: 40, routingId: 1 } };
const frame = (url: string, routingId = 1, processId = 40) => ({ url, processId, routingId });

describe('the IPC sender guard', () => {
  it('accepts the main frame of the window showing the app origin', () => {
    expect(isTrustedSender({ webContentsId: 3, frame: frame('app://poplar/index.html') }, WINDOW)).toBe(true);
    expect(isTrustedSender({ webContentsId: 3, frame: frame('app://poplar/index.html?x=1#m') }, WINDOW)).toBe(true);
  });

  it.each([
    ['a subframe (the mail frame)', { webContentsId: 3, frame: frame('app://poplar/index.html', 2) }],
    ['a frame in another process', { webContentsId: 3, frame: frame('app://poplar/index.html', 1, 41) }],
    ['another web contents (DevTools, another window)', { webContentsId: 4, frame: frame('app://poplar/index.html') }],
    ['a frame that is gone', { webContentsId: 3, frame: null }],
    ['another origin', { webContentsId: 3, frame: frame('https://evil.example/') }],
    ['a look-alike host', { webContentsId: 3, frame: frame('app://poplar.evil/index.html') }],
    ['a look-alike host with a port', { webContentsId: 3, frame: frame('app://poplar:80/index.html') }],
    ['credentials in the URL', { webContentsId: 3, frame: frame('app://user@poplar/index.html') }],
    ['DevTools', { webContentsId: 3, frame: frame('devtools://devtools/bundled/inspector.html') }],
    ['a file:// page', { webContentsId: 3, frame: frame('file:///app/dist/renderer/index.html') }],
    ['about:blank', { webContentsId: 3, frame: frame('about:blank') }],
    ['a blob of the app', { webContentsId: 3, frame: frame('blob:app://poplar/1234') }],
  ])('refuses %s', (_name, sender) => {
    expect(isTrustedSender(sender, WINDOW)).toBe(false);
  });

  it('refuses everything when there is no window', () => {
    expect(isTrustedSender({ webContentsId: 3, frame: frame('app://poplar/index.html') }, undefined)).toBe(false);
  });

  it('knows the app origin by scheme and host', () => {
    expect(isAppUrl('app://poplar/')).toBe(true);
    expect(isAppUrl('app://other/')).toBe(false);
    expect(isAppUrl('http://poplar/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('the navigation policy', () => {
  it('never lets the main frame navigate', () => {
    expect(isNavigationAllowed('app://poplar/index.html', true)).toBe(false);
    expect(isNavigationAllowed('https://example.com/', true)).toBe(false);
  });

  it("lets a subframe become only the mail frame's own document", () => {
    expect(isNavigationAllowed('about:blank', false)).toBe(true);
    expect(isNavigationAllowed('about:srcdoc', false)).toBe(true);
    expect(isNavigationAllowed('blob:app://poplar/6f1c', false)).toBe(true);
    expect(isNavigationAllowed('blob:https://evil.example/6f1c', false)).toBe(false);
    expect(isNavigationAllowed('https://tracker.example/pixel', false)).toBe(false);
    expect(isNavigationAllowed('javascript:alert(1)', false)).toBe(false);
    expect(isNavigationAllowed('data:text/html,<script>1</script>', false)).toBe(false);
  });
});
