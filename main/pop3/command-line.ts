/**
 * Building command lines, strictly: printable ASCII, one space between keyword and arguments, CRLF at the end
 * (C0003, C0004), and no argument on QUIT, STAT, NOOP (C0012, C0015, C0027, C0030). An argument that would break
 * this (CR, LF or any other control character in a user name or a password) is refused before anything is sent.
 */
import { mailError } from '../../app/errors.ts';

export type Verb =
  | 'CAPA'
  | 'STLS'
  | 'USER'
  | 'PASS'
  | 'APOP'
  | 'AUTH'
  | 'STAT'
  | 'LIST'
  | 'UIDL'
  | 'TOP'
  | 'RETR'
  | 'DELE'
  | 'NOOP'
  | 'RSET'
  | 'QUIT'
  /** A SASL response line: sent bare, without a keyword (RFC 5034 §4). */
  | '';

export interface Command {
  readonly verb: Verb;
  readonly args?: readonly string[];
  /** Indexes of arguments that are secrets: shown as `****` in logs and errors. */
  readonly sensitive?: readonly number[];
}

const NO_ARGUMENTS: ReadonlySet<Verb> = new Set<Verb>(['CAPA', 'STLS', 'STAT', 'NOOP', 'RSET', 'QUIT']);

/**
 * Arguments that may hold a space: PASS (RFC 1939 §7 lets the server take the rest of the line as the
 * password) and SASL response lines are sent as one argument.
 */
const SPACE_ALLOWED: ReadonlySet<Verb> = new Set<Verb>(['PASS', '']);

export function formatCommand(command: Command): string {
  const args = command.args ?? [];
  if (NO_ARGUMENTS.has(command.verb) && args.length > 0) {
    throw mailError('INVALID_ARGUMENT', `${command.verb} takes no arguments.`, { command: command.verb });
  }
  args.forEach((arg, i) => {
    const secret = command.sensitive?.includes(i) === true;
    const what = secret ? 'The password' : `The argument ${JSON.stringify(arg)}`;
    const problem = argumentProblem(arg, SPACE_ALLOWED.has(command.verb));
    if (problem !== undefined) {
      throw mailError('INVALID_ARGUMENT', `${what} of ${command.verb || 'the SASL exchange'} ${problem}.`, {
        command: command.verb,
      });
    }
  });
  if (command.verb === '') return `${args.join('')}\r\n`;
  return args.length === 0 ? `${command.verb}\r\n` : `${command.verb} ${args.join(' ')}\r\n`;
}

/** Why an argument cannot be sent as it is, or undefined when it can. */
export function argumentProblem(arg: string, spaceAllowed: boolean): string | undefined {
  if (arg.length === 0 && !spaceAllowed) return 'is empty';
  for (let i = 0; i < arg.length; i++) {
    const c = arg.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return 'contains a control character (such as a line break), which POP3 cannot carry';
    if (c > 0x7e) return 'contains a character outside printable ASCII, which this command cannot carry';
    if (c === 0x20 && !spaceAllowed) return 'contains a space, which this command cannot carry';
  }
  return undefined;
}
