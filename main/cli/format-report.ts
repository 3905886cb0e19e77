/** The account test report as a person reads it in a terminal. */
import type { AccountTestReport } from '../../app/account-test.ts';
import type { ErrorData } from '../../app/errors.ts';

function formatError(e: ErrorData): string {
  const words = e.details.serverText === undefined ? '' : ` (server said: ${e.details.serverText})`;
  return `${e.code}: ${e.message}${words}`;
}

export function formatReport(r: AccountTestReport): string {
  const out: string[] = [`Server ${r.host}`];
  for (const a of r.attempts) {
    const how = { tls: 'SSL/TLS', starttls: 'STARTTLS', none: 'no encryption' }[a.security];
    out.push(`  ${a.ok ? 'works ' : 'failed'}  ${how} on port ${a.port} (${a.millis} ms)${a.error ? ` — ${formatError(a.error)}` : ''}`);
  }
  if (r.chosen === undefined) {
    out.push('No way to reach this server worked.');
    return `${out.join('\n')}\n`;
  }
  if (r.certificate !== undefined) {
    const c = r.certificate;
    out.push(`TLS        ${c.protocol}, ${c.cipher}`);
    out.push(`Certificate ${c.subject} (issued by ${c.issuer}, valid to ${c.validTo}), trusted by ${c.trustedBy === 'ca' ? 'its CA' : 'pinned fingerprint'}`);
    out.push(`Fingerprint SHA-256 ${c.fingerprint256}`);
  } else {
    out.push('TLS        none: the connection is not encrypted');
  }
  out.push(`Greeting   ${r.greeting ?? ''}`);
  out.push(`Capabilities ${r.capabilities.length > 0 ? r.capabilities.join(', ') : '(CAPA not supported)'}`);
  out.push(`Pipelining ${r.pipelining ? 'yes' : 'no'}`);
  if (r.loginDelaySeconds !== undefined) out.push(`Login delay ${r.loginDelaySeconds} s`);
  if (r.expire !== undefined) out.push(`Expire     ${r.expire}`);
  out.push(`Login methods ${r.authMethods.join(', ')}`);
  if (r.login === undefined) out.push('Login      not tried (no --user)');
  else if (r.login.ok) out.push(`Login      works, with ${r.login.method}`);
  else out.push(`Login      failed — ${formatError(r.login.error)}`);
  if (r.mailbox !== undefined) out.push(`Mailbox    ${r.mailbox.count} messages, ${r.mailbox.size} bytes`);
  return `${out.join('\n')}\n`;
}
