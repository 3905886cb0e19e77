import { describe, expect, it } from 'vitest';
import { FRAME_SANDBOX, frameCsp, frameDocument } from '../../../renderer/reading/frame-document.ts';

describe('the message frame', () => {
  it('is sandboxed without scripts and without its parent’s origin', () => {
    const tokens = FRAME_SANDBOX.split(' ');
    expect(tokens).toEqual(['allow-popups', 'allow-popups-to-escape-sandbox']);
    expect(tokens).not.toContain('allow-scripts');
    expect(tokens).not.toContain('allow-same-origin');
  });

  it('allows only inline styles and data: images until remote content is allowed', () => {
    expect(frameCsp(false)).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'",
    );
    expect(frameCsp(true)).toBe(
      "default-src 'none'; style-src 'unsafe-inline' https: http:; img-src data: https: http:; form-action 'none'; base-uri 'none'",
    );
  });

  it('puts its CSP before anything of the mail, and keeps referrers and DNS prefetching out', () => {
    const doc = frameDocument('<p>mail</p>', false);
    const csp = doc.indexOf('http-equiv="Content-Security-Policy"');
    expect(csp).toBeGreaterThan(0);
    expect(csp).toBeLessThan(doc.indexOf('<p>mail</p>'));
    expect(doc.slice(0, csp)).toBe('<!DOCTYPE html><html><head><meta charset="utf-8"><meta ');
    expect(doc).toContain('content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:;');
    expect(doc).toContain('<meta name="referrer" content="no-referrer">');
    expect(doc).toContain('<meta http-equiv="x-dns-prefetch-control" content="off">');
    expect(doc.endsWith('<body><p>mail</p></body></html>')).toBe(true);
  });
});
