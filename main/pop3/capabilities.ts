/**
 * CAPA (RFC 2449 §5): what the server says it can do. Read again after STLS (RFC 2595 §4) and after login,
 * since servers may advertise differently in each state.
 */
export interface Capabilities {
  /** Whether the server answered CAPA at all; a server that does not is treated as RFC 1939 only. */
  readonly supported: boolean;
  /** The raw capability lines, for diagnostics and "Test account settings". */
  readonly lines: readonly string[];
  readonly pipelining: boolean;
  readonly top: boolean;
  readonly uidl: boolean;
  readonly user: boolean;
  readonly stls: boolean;
  readonly respCodes: boolean;
  readonly authRespCode: boolean;
  /** SASL mechanisms, upper-cased, in the server's order (RFC 5034). */
  readonly sasl: readonly string[];
  /** RFC 2449 §6.5: minimum seconds between logins; `perUser` when the server says it varies (`USER`). */
  readonly loginDelay: { readonly seconds: number; readonly perUser: boolean } | undefined;
  /** RFC 2449 §6.7: days a message stays on the server after retrieval; `never`, or `perUser` when it varies. */
  readonly expire: { readonly days: number | 'never'; readonly perUser: boolean } | undefined;
  readonly implementation: string | undefined;
}

export const NO_CAPABILITIES: Capabilities = {
  supported: false,
  lines: [],
  pipelining: false,
  top: false,
  uidl: false,
  user: false,
  stls: false,
  respCodes: false,
  authRespCode: false,
  sasl: [],
  loginDelay: undefined,
  expire: undefined,
  implementation: undefined,
};

export function parseCapabilities(lines: readonly string[]): Capabilities {
  const words = new Map<string, string[]>();
  const kept: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    kept.push(line);
    const [name = '', ...args] = line.split(/[ \t]+/);
    words.set(name.toUpperCase(), args);
  }
  const has = (name: string): boolean => words.has(name);
  const loginDelayArgs = words.get('LOGIN-DELAY');
  const expireArgs = words.get('EXPIRE');
  return {
    supported: true,
    lines: kept,
    pipelining: has('PIPELINING'),
    top: has('TOP'),
    uidl: has('UIDL'),
    user: has('USER'),
    stls: has('STLS'),
    respCodes: has('RESP-CODES'),
    authRespCode: has('AUTH-RESP-CODE'),
    sasl: (words.get('SASL') ?? []).map((m) => m.toUpperCase()),
    loginDelay: parseLoginDelay(loginDelayArgs),
    expire: parseExpire(expireArgs),
    implementation: words.has('IMPLEMENTATION') ? (words.get('IMPLEMENTATION') ?? []).join(' ') : undefined,
  };
}

function parseLoginDelay(args: readonly string[] | undefined): Capabilities['loginDelay'] {
  if (args === undefined) return undefined;
  const seconds = Number.parseInt(args[0] ?? '', 10);
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  return { seconds, perUser: args[1]?.toUpperCase() === 'USER' };
}

function parseExpire(args: readonly string[] | undefined): Capabilities['expire'] {
  if (args === undefined) return undefined;
  const first = (args[0] ?? '').toUpperCase();
  const perUser = args[1]?.toUpperCase() === 'USER';
  if (first === 'NEVER') return { days: 'never', perUser };
  const days = Number.parseInt(first, 10);
  if (!Number.isFinite(days) || days < 0) return undefined;
  return { days, perUser };
}
