import { describe, expect, it } from 'vitest';
import { SHELL_CSP } from '../../../main/electron/app-protocol.ts';
import { contentSecurityPolicy, securityHeaders } from '../../../main/security/csp.ts';

describe('the Content-Security-Policy', () => {
  it('is the strict policy, the same in both hosts but for the bridge socket', () => {
    expect(SHELL_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline' https: http:; img-src 'self' data: blob: https: http:; " +
        "frame-src 'self' blob: about:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(contentSecurityPolicy({ connectSources: ['ws://127.0.0.1:17110'] })).toBe(
      SHELL_CSP.replace("connect-src 'self'", "connect-src 'self' ws://127.0.0.1:17110"),
    );
  });

  it('never allows inline or evaluated scripts or plugins; remote sources only for images and styles', () => {
    const policy = contentSecurityPolicy();
    const directive = (name: string): string | undefined => policy.split('; ').find((d) => d.startsWith(`${name} `));
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(directive('object-src')).toBe("object-src 'none'");
    expect(policy).not.toMatch(/unsafe-eval|\*/);
    // Remote images and styles a user allows for one message (the mail frame inherits this policy); nothing else.
    for (const d of policy.split('; ')) {
      if (!d.startsWith('img-src ') && !d.startsWith('style-src ')) expect(d).not.toMatch(/https?:/);
    }
  });

  it('refuses a source that would smuggle in another directive', () => {
    expect(() => contentSecurityPolicy({ connectSources: ["ws://x; script-src 'unsafe-inline'"] })).toThrow();
    expect(() => contentSecurityPolicy({ connectSources: ['ws://a ws://b'] })).toThrow();
  });

  it('comes with nosniff and no-referrer', () => {
    expect(securityHeaders('x')).toEqual({
      'Content-Security-Policy': 'x',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
  });
});
