/**
 * Debian's `mpop` (a C POP3 client that pipelines) as a second yardstick for (c): it downloads every message with
 * RETR, keeps them on the server, and delivers them to a Maildir in a temporary directory (on tmpfs when there is
 * one, so that delivery costs as little as it can). Everything it needs is in a private config file; nothing of
 * the user's ~/.mpoprc is read.
 *
 * Its wall time is measured from spawn to exit, its peak RSS by GNU time (`/usr/bin/time -f %M`) when installed.
 * mpop stores messages with LF line ends; the bytes reported are what POP3 delivered (LF counted back as CRLF).
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildReport, Endpoint } from './cases.ts';

export const MPOP_PATH = '/usr/bin/mpop';
const GNU_TIME = '/usr/bin/time';

export function mpopAvailable(): boolean {
  return existsSync(MPOP_PATH);
}

export interface MpopOptions {
  readonly endpoint: Endpoint;
  readonly pipelining: boolean;
  readonly timeoutMs: number;
}

/** mpop's config syntax: a double-quoted string with `\"` and `\\` escapes. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function scratchRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
}

/** Messages delivered and their size as POP3 delivered them (each bare LF was a CRLF on the wire). */
function countDelivered(maildir: string): { messages: number; bytes: number } {
  let messages = 0;
  let bytes = 0;
  for (const sub of ['new', 'cur']) {
    const dir = path.join(maildir, sub);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const data = readFileSync(path.join(dir, name));
      messages += 1;
      bytes += data.length;
      for (let i = data.indexOf(0x0a); i >= 0; i = data.indexOf(0x0a, i + 1)) {
        if (i === 0 || data[i - 1] !== 0x0d) bytes += 1;
      }
    }
  }
  return { messages, bytes };
}

export async function runMpop(options: MpopOptions): Promise<ChildReport> {
  if (!mpopAvailable()) return { ok: false, unavailable: true, error: `mpop not installed (${MPOP_PATH})` };
  const { endpoint } = options;
  const dir = mkdtempSync(path.join(scratchRoot(), 'poplar-bench-mpop-'));
  try {
    const maildir = path.join(dir, 'Maildir');
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(path.join(maildir, sub), { recursive: true });
    const config = path.join(dir, 'mpoprc');
    const lines = [
      'defaults',
      'account bench',
      `host ${endpoint.host}`,
      `port ${endpoint.port}`,
      `user ${quote(endpoint.user)}`,
      `password ${quote(endpoint.password)}`,
      // USER/PASS, as the minimal client logs in; without TLS mpop only sends a password when told which method.
      'auth user',
      `tls ${endpoint.tls ? 'on' : 'off'}`,
      'tls_starttls off',
      ...(endpoint.tls && endpoint.caPath !== undefined ? [`tls_trust_file ${quote(endpoint.caPath)}`] : []),
      `pipelining ${options.pipelining ? 'on' : 'off'}`,
      'keep on',
      'only_new off',
      'received_header off',
      `uidls_file ${quote(path.join(dir, 'uidls'))}`,
      `delivery maildir ${quote(maildir)}`,
      `timeout ${Math.ceil(options.timeoutMs / 1000)}`,
    ];
    writeFileSync(config, lines.join('\n') + '\n', { mode: 0o600 });
    // mpop refuses a config file with a password that others may read.
    chmodSync(config, 0o600);

    const timeFile = path.join(dir, 'time.txt');
    const withTime = existsSync(GNU_TIME);
    const mpopArgs = ['-C', config, '-q', 'bench'];
    const [command, args] = withTime
      ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, MPOP_PATH, ...mpopArgs]]
      : [MPOP_PATH, mpopArgs];

    const started = performance.now();
    const outcome = await new Promise<{ code: number | null; signal: string | null; stderr: string; timedOut: boolean }>(
      (resolve) => {
        // Its own process group, so that a timeout ends GNU time and mpop together.
        const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
        let stderr = '';
        let timedOut = false;
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (s: string) => (stderr += s));
        const timer = setTimeout(() => {
          timedOut = true;
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        }, options.timeoutMs);
        child.on('error', (error) => {
          clearTimeout(timer);
          resolve({ code: null, signal: null, stderr: error.message, timedOut });
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal, stderr, timedOut });
        });
      },
    );
    const wallMs = performance.now() - started;
    if (outcome.timedOut) return { ok: false, error: `timed out after ${Math.round(options.timeoutMs / 1000)} s` };
    if (outcome.code !== 0) {
      const why = outcome.stderr.trim().split('\n').slice(-3).join(' / ');
      return { ok: false, error: `mpop exit ${String(outcome.code ?? outcome.signal)}: ${why}` };
    }
    let maxRssKiB = 0;
    let cpuMs = Number.NaN;
    if (withTime && existsSync(timeFile)) {
      const fields = readFileSync(timeFile, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
      maxRssKiB = fields[0] ?? 0;
      cpuMs = ((fields[1] ?? Number.NaN) + (fields[2] ?? Number.NaN)) * 1000;
    }
    const delivered = countDelivered(maildir);
    return {
      ok: true,
      listed: delivered.messages,
      messages: delivered.messages,
      bytes: delivered.bytes,
      wallMs,
      cpuMs,
      maxRssKiB,
      note: 'delivers to a Maildir on ' + (scratchRoot() === '/dev/shm' ? 'tmpfs' : 'disk'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
