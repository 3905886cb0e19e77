/**
 * The `app://poplar/` protocol: the built renderer, served from disk by the shell.
 *
 * Why a custom scheme and not file://: a file:// page's origin is opaque and shared by every file on the disk,
 * so 'self' in the CSP would mean "any local file", IndexedDB would belong to all of them, and nothing would
 * stop a path from reaching outside the app. `app://poplar` is registered as standard and secure: it has a real
 * origin of its own (IndexedDB, CSP 'self', the IPC sender check), and this handler serves only the files of the
 * built renderer, with the CSP on every response.
 */
import type { Privileges } from 'electron';
import { contentSecurityPolicy, securityHeaders } from '../security/csp.ts';
import { readStaticFile } from '../security/static-files.ts';
import { APP_HOST, APP_SCHEME } from './ipc-guard.ts';

export const APP_SCHEME_PRIVILEGES: Privileges = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: false,
  bypassCSP: false,
  allowServiceWorkers: false,
  stream: false,
};

/** The shell's CSP: the same as the bridge's, without its WebSocket. */
export const SHELL_CSP = contentSecurityPolicy();

export async function serveAppRequest(staticDir: string, request: Request): Promise<Response> {
  const headers = securityHeaders(SHELL_CSP);
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return new Response(null, { status: 400, headers });
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return new Response(null, { status: 404, headers });
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers });
  // The raw path, still percent-encoded: static-files decodes it once and refuses what leaves the root.
  const file = await readStaticFile(staticDir, url.pathname);
  if (file.status !== 200) return new Response(null, { status: file.status, headers });
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), {
    status: 200,
    headers: { ...headers, 'Content-Type': file.contentType, 'Cache-Control': 'no-cache' },
  });
}
