/**
 * Test account settings: connect, say which transport and certificate, list capabilities and login methods,
 * try the login, and count the mailbox. With no port or security given it auto-detects: implicit TLS on 995
 * (RFC 8314 prefers it), then STLS on 110, then plain 110. It never deletes or downloads anything, and ends
 * with QUIT from AUTHORIZATION or a TRANSACTION that marked nothing.
 */
import type { AccountTestReport, Security, TransportAttempt } from '../../app/account-test.ts';
import { toErrorData } from '../../app/errors.ts';
import type { Logger } from '../log.ts';
import { offeredMethods, type Credentials } from './auth.ts';
import type { Pop3Timeouts, TlsTrust } from './connection.ts';
import { Pop3Session } from './session.ts';

export interface AccountTestRequest {
  readonly host: string;
  readonly port?: number;
  readonly security?: Security | 'auto';
  readonly credentials?: Credentials;
  readonly tls?: TlsTrust;
  readonly timeouts?: Partial<Pop3Timeouts>;
  readonly logger?: Logger;
}

export const DEFAULT_PORTS: Readonly<Record<Security, number>> = { tls: 995, starttls: 110, none: 110 };

export function candidateTransports(request: AccountTestRequest): Array<{ security: Security; port: number }> {
  const security = request.security ?? 'auto';
  if (security !== 'auto') return [{ security, port: request.port ?? DEFAULT_PORTS[security] }];
  if (request.port !== undefined) {
    // A port was given: try the securities that make sense on it, strongest first.
    const order: Security[] = request.port === 995 ? ['tls'] : ['tls', 'starttls', 'none'];
    return order.map((s) => ({ security: s, port: request.port ?? DEFAULT_PORTS[s] }));
  }
  return [
    { security: 'tls', port: 995 },
    { security: 'starttls', port: 110 },
    { security: 'none', port: 110 },
  ];
}

export async function testAccountSettings(request: AccountTestRequest): Promise<AccountTestReport> {
  const attempts: TransportAttempt[] = [];
  let session: Pop3Session | undefined;
  let chosen: { security: Security; port: number } | undefined;
  for (const candidate of candidateTransports(request)) {
    const started = performance.now();
    try {
      session = await Pop3Session.connect({
        host: request.host,
        port: candidate.port,
        security: candidate.security,
        tls: request.tls,
        timeouts: request.timeouts,
        logger: request.logger,
      });
      attempts.push({ ...candidate, ok: true, millis: Math.round(performance.now() - started) });
      chosen = candidate;
      break;
    } catch (e) {
      attempts.push({ ...candidate, ok: false, error: toErrorData(e), millis: Math.round(performance.now() - started) });
    }
  }
  if (session === undefined || chosen === undefined) {
    return { host: request.host, attempts, capabilities: [], pipelining: false, authMethods: [] };
  }
  try {
    const caps = session.capabilities;
    const base = {
      host: request.host,
      attempts,
      chosen,
      certificate: session.tlsInfo,
      greeting: session.greeting.text,
      capabilities: caps.lines,
      pipelining: caps.pipelining,
      implementation: caps.implementation,
      loginDelaySeconds: caps.loginDelay?.seconds,
      expire: caps.expire === undefined ? undefined : String(caps.expire.days),
      authMethods: offeredMethods(caps, session.greeting),
    };
    if (request.credentials === undefined) return base;
    let login: AccountTestReport['login'];
    try {
      login = { ok: true, method: await session.authenticate(request.credentials) };
    } catch (e) {
      return { ...base, login: { ok: false, error: toErrorData(e) } };
    }
    const drop = await session.stat();
    // Capabilities after login may say more (per-user LOGIN-DELAY and EXPIRE, RFC 2449 §5).
    const after = session.capabilities;
    return {
      ...base,
      capabilities: after.lines.length > 0 ? after.lines : base.capabilities,
      pipelining: after.pipelining,
      loginDelaySeconds: after.loginDelay?.seconds ?? base.loginDelaySeconds,
      expire: after.expire === undefined ? base.expire : String(after.expire.days),
      login,
      mailbox: { count: drop.count, size: drop.size },
    };
  } finally {
    await session.quit().catch(() => undefined);
  }
}
