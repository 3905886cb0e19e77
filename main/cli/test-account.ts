/**
 * `npm run test-account -- --host HOST [options]`: the "Test account settings" probe from a terminal.
 * The password is read from the POPLAR_PASSWORD environment variable or from standard input
 * (`--password-stdin`), never from the command line, where other users could see it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Security } from '../../app/account-test.ts';
import { stderrLogger } from '../log.ts';
import type { AuthMethod } from '../pop3/auth.ts';
import { testAccountSettings } from '../pop3/account-test.ts';
import { formatReport } from './format-report.ts';

const USAGE = `Usage: npm run test-account -- --host HOST [--port N] [--security auto|tls|starttls|none]
       [--user NAME] [--password-stdin] [--method USER|APOP|PLAIN|LOGIN|CRAM-MD5|XOAUTH2]
       [--allow-plaintext] [--fingerprint SHA256] [--ca FILE.pem] [--timeout SECONDS] [--json] [--debug]
The password comes from $POPLAR_PASSWORD or, with --password-stdin, from the first line of standard input.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      security: { type: 'string', default: 'auto' },
      user: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      method: { type: 'string' },
      'allow-plaintext': { type: 'boolean', default: false },
      fingerprint: { type: 'string' },
      ca: { type: 'string' },
      timeout: { type: 'string', default: '20' },
      json: { type: 'boolean', default: false },
      debug: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || values.host === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const security = values.security as Security | 'auto';
  if (!['auto', 'tls', 'starttls', 'none'].includes(security)) throw new Error(`unknown --security ${security}`);
  const port = values.port === undefined ? undefined : Number.parseInt(values.port, 10);
  const timeoutMs = Number.parseFloat(values.timeout) * 1000;
  let password = process.env.POPLAR_PASSWORD;
  if (values['password-stdin']) password = readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? '';
  const report = await testAccountSettings({
    host: values.host,
    port,
    security,
    credentials:
      values.user === undefined
        ? undefined
        : {
            user: values.user,
            password,
            method: values.method as AuthMethod | undefined,
            allowPlaintextPassword: values['allow-plaintext'],
          },
    tls: {
      fingerprint256: values.fingerprint,
      ca: values.ca === undefined ? undefined : readFileSync(values.ca, 'utf8'),
    },
    timeouts: { connectMs: timeoutMs, greetingMs: timeoutMs, idleMs: timeoutMs },
    logger: values.debug ? stderrLogger('debug') : undefined,
  });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.chosen !== undefined && report.login?.ok !== false ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`test-account: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
