/**
 * The one Content-Security-Policy of Poplar's window, shared by both hosts: the Electron shell (served from
 * `app://poplar`) and the browser bridge (served from `http://127.0.0.1:PORT`, which adds its WebSocket to
 * `connect-src`). Design: security shape — mail HTML is untrusted, so the page runs only its own scripts, frames
 * only its own blob:/about: documents (the sandboxed mail frame), and may not post forms or change its base URL.
 */

export interface CspOptions {
  /** Extra `connect-src` sources beyond `'self'`, e.g. the bridge's `ws://127.0.0.1:PORT`. */
  readonly connectSources?: readonly string[];
}

/** A CSP source is a plain token: no spaces, semicolons or commas that could smuggle in another directive. */
const SOURCE = /^[^\s;,]+$/;

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const connect = options.connectSources ?? [];
  for (const source of connect) {
    if (!SOURCE.test(source)) throw new Error(`not a CSP source: ${JSON.stringify(source)}`);
  }
  const directives: readonly (readonly [string, readonly string[]])[] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    // React sets style attributes; inline styles cannot run code. The mail frame (about:srcdoc) inherits this
    // policy on top of its own, so the remote images and stylesheets a user allows for one message must be
    // permitted here too: the frame's own CSP (img-src data: until allowed) is what keeps them out before that,
    // and the window's own code never loads a remote resource.
    ['style-src', ["'self'", "'unsafe-inline'", 'https:', 'http:']],
    ['img-src', ["'self'", 'data:', 'blob:', 'https:', 'http:']],
    // The mail body is shown in a sandboxed frame built from a blob: URL or srcdoc (about:srcdoc).
    ['frame-src', ["'self'", 'blob:', 'about:']],
    ['connect-src', ["'self'", ...connect]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/** The headers every document and asset of the window carries, in both hosts. */
export function securityHeaders(csp: string): Readonly<Record<string, string>> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}
