/**
 * One request, one response: the small promise-shaped helpers every verb is built from, and the mapping of a
 * negative status line to a typed error by its RFC 2449 / RFC 3206 response code.
 */
import { mailError, type MailError, type MailErrorCode } from '../../app/errors.ts';
import type { Command } from './command-line.ts';
import { redact, type Pop3Connection } from './connection.ts';
import type { ResponseSink, StatusLine } from './reader.ts';

/** What a plain `-ERR` means when the server gives no response code, by the kind of command. */
export type FailureContext = 'auth' | 'command';

/** RFC 2449 §8 and RFC 3206 codes are hierarchical (`SYS/TEMP/...`): match the most specific known prefix. */
const KNOWN_CODES: ReadonlyArray<readonly [string, MailErrorCode, string]> = [
  ['IN-USE', 'IN_USE', 'The mailbox is in use by another session'],
  ['LOGIN-DELAY', 'LOGIN_DELAY', 'The server asks to wait longer between logins'],
  ['SYS/TEMP', 'SYS_TEMP', 'The server reports a temporary problem'],
  ['SYS/PERM', 'SYS_PERM', 'The server reports a permanent problem'],
  ['AUTH', 'AUTH_FAILED', 'The server refused the login'],
];

export function errorFromStatus(status: StatusLine, command: Command | undefined, context: FailureContext): MailError {
  const code = status.code;
  const known = code === undefined ? undefined : KNOWN_CODES.find(([name]) => code === name || code.startsWith(`${name}/`));
  const shown = command === undefined ? undefined : redact(command);
  const errorCode: MailErrorCode = known?.[1] ?? (context === 'auth' ? 'AUTH_FAILED' : 'SERVER_ERROR');
  const lead =
    known?.[2] ??
    (context === 'auth' ? 'The server refused the login' : shown === undefined ? 'The server refused the session' : `The server refused ${shown}`);
  return mailError(errorCode, `${lead}: ${status.text || '(no text)'}`, {
    serverText: status.text,
    responseCode: code,
    command: shown,
  });
}

/** Sends a command with a single-line response; rejects with a typed error on `-ERR`. */
export function requestStatus(
  connection: Pop3Connection,
  command: Command,
  context: FailureContext = 'command',
  extra: Partial<Pick<ResponseSink, 'stopAfter'>> = {},
): Promise<StatusLine> {
  return new Promise((resolve, reject) => {
    connection.send(command, {
      kind: 'single',
      ...extra,
      status: (line) => {
        if (line.ok) resolve(line);
        else reject(errorFromStatus(line, command, context));
      },
      fail: reject,
    });
  });
}

/** A sink that collects a multi-line body into one Buffer (one copy, at the end). */
export function collectingSink(
  command: Command,
  done: (result: { ok: true; body: Buffer; status: StatusLine } | { ok: false; error: MailError }) => void,
): ResponseSink {
  const parts: Buffer[] = [];
  let status: StatusLine | undefined;
  return {
    kind: 'multi',
    status(line) {
      status = line;
      if (!line.ok) done({ ok: false, error: errorFromStatus(line, command, 'command') });
    },
    data(chunk) {
      parts.push(chunk);
    },
    end() {
      if (status !== undefined) done({ ok: true, body: parts.length === 1 ? Buffer.from(parts[0] ?? []) : Buffer.concat(parts), status });
    },
    fail(error) {
      done({ ok: false, error });
    },
  };
}

/** Sends a command with a multi-line response and resolves with the whole body. */
export function requestBody(connection: Pop3Connection, command: Command): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    connection.send(
      command,
      collectingSink(command, (r) => {
        if (r.ok) resolve(r.body);
        else reject(r.error);
      }),
    );
  });
}

/** Sends a command with a multi-line response of short lines (CAPA, LIST, UIDL) and resolves with the lines. */
export function requestLines(connection: Pop3Connection, command: Command, maxLineBytes: number): Promise<string[]> {
  return requestBody(connection, command).then((body) => splitLines(body, maxLineBytes));
}

/** Splits a listing body into lines, each bounded (`LINE_TOO_LONG`). */
export function splitLines(body: Buffer, maxLineBytes: number): string[] {
  const lines = body.toString('latin1').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => {
    if (line.length > maxLineBytes) {
      throw mailError('LINE_TOO_LONG', 'The server sent a listing line longer than allowed.', {
        facts: { limit: maxLineBytes },
      });
    }
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  });
}
