/**
 * "Test account settings" in plain words: what each way of connecting did, how the connection is secured and by
 * which certificate, what the server offers, whether the login works, and what is in the mailbox.
 */
import type { AccountTestReport, Security } from '../../app/account-test.ts';
import type { ErrorData } from '../../app/errors.ts';
import { formatBytes } from '../window/format.ts';
import { describeProblem } from '../window/status-text.ts';

export type Tone = 'ok' | 'bad' | 'info';

export interface ReportLine {
  readonly label: string;
  readonly text: string;
  readonly tone: Tone;
}

const HOW: Readonly<Record<Security, string>> = {
  tls: 'SSL/TLS',
  starttls: 'STARTTLS',
  none: 'no encryption',
};

export function transportText(security: Security, port: number): string {
  return `${HOW[security]} on port ${port}`;
}

export function problemText(error: ErrorData): string {
  const p = describeProblem(error);
  if (p.serverWords !== undefined) return `${p.headline} The server said: “${p.serverWords}”`;
  // Poplar's own message often starts the way the headline does; then it alone says it all.
  return error.message.startsWith(p.headline.slice(0, -1)) ? error.message : `${p.headline} (${error.message})`;
}

/** CAPA's EXPIRE (RFC 2449 §6.7): how long the server keeps a message after it was downloaded. */
function expireText(expire: string): string {
  const [value = ''] = expire.trim().split(/\s+/);
  if (/^never$/i.test(value)) return 'the server keeps mail until it is deleted';
  if (value === '0') return 'the server deletes mail as soon as it is downloaded';
  if (/^\d+$/.test(value)) return `the server deletes mail ${value} days after it is downloaded`;
  return expire;
}

/** Only the transports (what Auto-detect shows). */
export function attemptLines(report: AccountTestReport): ReportLine[] {
  const lines = report.attempts.map(
    (a): ReportLine => ({
      label: transportText(a.security, a.port),
      text: a.ok ? `works (${a.millis} ms)` : a.error === undefined ? 'does not work' : problemText(a.error),
      tone: a.ok ? 'ok' : 'bad',
    }),
  );
  if (report.chosen === undefined) {
    lines.push({ label: 'Result', text: `No way of reaching ${report.host} worked.`, tone: 'bad' });
  } else {
    lines.push({ label: 'Result', text: `Use ${transportText(report.chosen.security, report.chosen.port)}.`, tone: 'ok' });
  }
  return lines;
}

/** The whole report (what "Test account settings" shows). */
export function reportLines(report: AccountTestReport): ReportLine[] {
  const lines = attemptLines(report);
  if (report.chosen === undefined) return lines;
  const cert = report.certificate;
  if (cert === undefined) {
    lines.push({ label: 'Encryption', text: 'None: the connection is not encrypted.', tone: 'bad' });
  } else {
    const trusted = cert.trustedBy === 'ca' ? 'trusted through its certificate authority' : 'trusted by its fingerprint';
    lines.push({ label: 'Encryption', text: `${cert.protocol}, ${cert.cipher}`, tone: 'ok' });
    lines.push({
      label: 'Certificate',
      text: `${cert.subject}, issued by ${cert.issuer}, valid until ${cert.validTo}; ${trusted}`,
      tone: 'ok',
    });
    lines.push({ label: 'Fingerprint (SHA-256)', text: cert.fingerprint256, tone: 'info' });
  }
  if (report.greeting !== undefined) lines.push({ label: 'Greeting', text: report.greeting, tone: 'info' });
  lines.push({
    label: 'Capabilities',
    text: report.capabilities.length > 0 ? report.capabilities.join(', ') : 'not listed (the server has no CAPA)',
    tone: 'info',
  });
  lines.push({
    label: 'Pipelining',
    text: report.pipelining ? 'yes: Poplar sends commands in batches' : 'no: one command at a time',
    tone: 'info',
  });
  if (report.loginDelaySeconds !== undefined) {
    const minutes = Math.round(report.loginDelaySeconds / 60);
    const wait = minutes >= 1 ? `${minutes} min` : `${report.loginDelaySeconds} s`;
    lines.push({ label: 'Login delay', text: `at least ${wait} between logins`, tone: 'info' });
  }
  if (report.expire !== undefined) lines.push({ label: 'Expiry', text: expireText(report.expire), tone: 'info' });
  lines.push({
    label: 'Login methods',
    text: report.authMethods.length > 0 ? report.authMethods.join(', ') : 'none offered',
    tone: report.authMethods.length > 0 ? 'info' : 'bad',
  });
  const login = report.login;
  if (login === undefined) {
    lines.push({ label: 'Login', text: 'not tried: enter the user name and password to try it', tone: 'info' });
  } else if (login.ok) {
    lines.push({ label: 'Login', text: `works, with ${login.method}`, tone: 'ok' });
  } else {
    lines.push({ label: 'Login', text: problemText(login.error), tone: 'bad' });
  }
  if (report.mailbox !== undefined) {
    const { count, size } = report.mailbox;
    lines.push({
      label: 'Mailbox',
      text: `${count.toLocaleString('en')} ${count === 1 ? 'message' : 'messages'}, ${formatBytes(size)}`,
      tone: 'info',
    });
  }
  return lines;
}

/** The certificate a user may choose to trust: from an attempt or a login refused for an untrusted certificate. */
export function untrustedCertificate(report: AccountTestReport): { fingerprint: string; subject?: string } | undefined {
  const errors = [...report.attempts.map((a) => a.error), report.login?.ok === false ? report.login.error : undefined];
  for (const error of errors) {
    if (error?.code !== 'CERT_UNTRUSTED') continue;
    const facts = error.details.facts ?? {};
    const fingerprint = facts.fingerprint256;
    if (typeof fingerprint !== 'string' || fingerprint === '') continue;
    const subject = facts.subject;
    return typeof subject === 'string' ? { fingerprint, subject } : { fingerprint };
  }
  return undefined;
}
