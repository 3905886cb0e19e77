/**
 * The benchmark matrix: what each case does, how it is named, and what a child process reports back.
 *
 * Operations: (a) UIDL + `TOP n 0` for all, (b) UIDL + `TOP n 20` for all, (c) UIDL + `RETR` for all.
 * Clients: the engine (main/pop3/session.ts), the minimal hand-written client (bench/reference-client.ts), and
 * Debian's `mpop` for (c). Each runs pipelined and strictly sequential, over plain TCP, implicit TLS, and plain
 * TCP through a proxy that adds 20 ms of round trip.
 */

import type { SyncBreakdown, SyncSpec } from './sync-bench.ts';

export type OpId = 'a' | 'b' | 'c';
export type ClientId = 'engine' | 'minimal' | 'mpop';
export type Mode = 'pipelined' | 'sequential';
export type Transport = 'plain' | 'tls' | '+20ms';

export const OPS: Readonly<Record<OpId, { readonly label: string; readonly kind: 'top' | 'retr'; readonly lines: number }>> = {
  a: { label: 'a TOP 0', kind: 'top', lines: 0 },
  b: { label: 'b TOP 20', kind: 'top', lines: 20 },
  c: { label: 'c RETR', kind: 'retr', lines: 0 },
};

export const ALL_OPS: readonly OpId[] = ['a', 'b', 'c'];
export const ALL_CLIENTS: readonly ClientId[] = ['engine', 'minimal', 'mpop'];
export const ALL_MODES: readonly Mode[] = ['pipelined', 'sequential'];
export const ALL_TRANSPORTS: readonly Transport[] = ['plain', 'tls', '+20ms'];

/** Round trip the proxy adds for the `+20ms` transport; each direction gets half. */
export const ADDED_RTT_MS = 20;

export interface CaseDef {
  /** `c-retr/engine/pipelined/plain`: what `--only` matches against. */
  readonly id: string;
  readonly op: OpId;
  readonly client: ClientId;
  readonly mode: Mode;
  readonly transport: Transport;
}

/** Where and as whom a case connects; filled in by run.ts once Dovecot and the proxy are up. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** PEM file of the CA that signed the server certificate (TLS only). */
  readonly caPath?: string;
  readonly user: string;
  readonly password: string;
}

/** What run.ts hands a child process (as one JSON argument). */
export interface ChildSpec {
  readonly id: string;
  readonly op: OpId;
  readonly client: 'engine' | 'minimal' | 'idle' | 'sync';
  readonly mode: Mode;
  readonly endpoint: Endpoint;
  /** The sync benchmark (client 'sync'): see bench/sync-bench.ts. */
  readonly sync?: SyncSpec;
}

/** The one JSON line a child process prints. */
export type ChildReport =
  | {
      readonly ok: true;
      readonly listed: number;
      readonly messages: number;
      /** Body bytes after dot-unstuffing, as the client handed them on. */
      readonly bytes: number;
      /** From before connecting to after QUIT's response. */
      readonly wallMs: number;
      /** User + system CPU of the process for the same span. */
      readonly cpuMs: number;
      /** Peak resident set of the case process (VmHWM), in KiB: see bench/case.ts. */
      readonly maxRssKiB: number;
      readonly note?: string;
      /** Sync cases: what the store and the preview extraction took (bench/sync-bench.ts). */
      readonly sync?: SyncBreakdown;
    }
  | { readonly ok: false; readonly error: string; readonly unavailable?: boolean; readonly maxRssKiB?: number };

export function caseId(op: OpId, client: ClientId, mode: Mode, transport: Transport): string {
  const opName = OPS[op].kind === 'retr' ? 'retr' : `top${OPS[op].lines}`;
  return `${op}-${opName}/${client}/${mode}/${transport === '+20ms' ? '20ms' : transport}`;
}

export interface MatrixOptions {
  readonly quick: boolean;
  /** Substrings; a case runs when its id contains any of them (all cases when empty). */
  readonly only: readonly string[];
  readonly mpop: boolean;
}

/**
 * The full matrix: 3 operations × 2 modes × 3 transports for the engine and the minimal client, and (c) for mpop.
 * `--quick` keeps (a) and (c) and drops sequential TLS (its ratio says little that plain does not).
 */
export function buildMatrix(options: MatrixOptions): CaseDef[] {
  const cases: CaseDef[] = [];
  for (const op of options.quick ? (['a', 'c'] as const) : ALL_OPS) {
    for (const transport of ALL_TRANSPORTS) {
      for (const client of ALL_CLIENTS) {
        if (client === 'mpop' && (op !== 'c' || !options.mpop)) continue;
        for (const mode of ALL_MODES) {
          if (options.quick && transport === 'tls' && mode === 'sequential') continue;
          const id = caseId(op, client, mode, transport);
          if (options.only.length > 0 && !options.only.some((s) => id.includes(s))) continue;
          cases.push({ id, op, client, mode, transport });
        }
      }
    }
  }
  return cases;
}
