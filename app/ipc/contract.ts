/**
 * The one IPC contract between the window (renderer/) and the main process (main/). Both hosts — the Electron
 * shell and the browser bridge — implement exactly this map; no channel string exists anywhere else.
 *
 * - `REQUESTS`: the window asks, main answers. Every payload is validated in main with these schemas before a
 *   handler sees it (the renderer is not trusted: it renders mail).
 * - `RENDERER_REQUESTS`: main asks, the window answers. The store lives in the window's IndexedDB, so the sync
 *   executor reads state and commits batches through these.
 * - `EVENTS`: main tells the window (progress, status, outcomes).
 *
 * Errors cross as data: every answer is a `Result`.
 */
import { z } from 'zod';
import type { AccountTestReport } from '../account-test.ts';
import { COMMANDS, type CommandId } from '../commands.ts';
import type { ErrorData } from '../errors.ts';
import type { AccountId } from '../ids.ts';
import type { SyncBatch, SyncStateSnapshot } from '../sync/batch.ts';
import type { PlanNotice } from '../sync/planner.ts';
import type { AccountStatus, SyncProgress } from '../sync/status.ts';

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorData };

// ---- Shared field schemas -----------------------------------------------------------------------------------

/** Printable text without control characters (no CR/LF smuggling into POP3 commands or logs). */
const text = (max: number) =>
  z
    .string()
    .max(max)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

export const AccountIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'an account id is 1-64 letters, digits, - or _')
  .transform((s) => s as AccountId);

export const SecuritySchema = z.enum(['tls', 'starttls', 'none']);
export const AuthMethodSchema = z.enum(['USER', 'APOP', 'PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2']);

/** A DNS name or an IP literal: letters, digits, dots, hyphens, colons (IPv6), brackets. */
export const HostSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name has only letters, digits, dots, hyphens and colons');

export const PortSchema = z.number().int().min(1).max(65_535);

export const FingerprintSchema = z
  .string()
  .regex(/^([0-9A-Fa-f]{2}:?){32}$/, 'a SHA-256 fingerprint is 32 bytes in hex, colons optional');

export const PolicySchema = z.object({
  download: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('previews'), lines: z.number().int().min(0).max(10_000) }),
    z.object({ kind: z.literal('whole') }),
    z.object({
      kind: z.literal('whole-up-to'),
      maxBytes: z.number().int().min(1).max(2 ** 40),
      lines: z.number().int().min(0).max(10_000),
    }),
  ]),
  leave: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('nothing') }),
    z.object({ kind: z.literal('forever') }),
    z.object({ kind: z.literal('days'), days: z.number().int().min(1).max(36_500) }),
    z.object({ kind: z.literal('until-deleted') }),
  ]),
  schedule: z.object({
    atStartup: z.boolean(),
    everyMinutes: z.number().int().min(1).max(7 * 24 * 60).nullable(),
    inSendReceiveAll: z.boolean(),
  }),
  newAccount: z.enum(['fetch-all', 'start-from-now']),
});

/** What main needs to know of an account to sync it (no secret: those go to the vault, once). */
export const AccountConfigSchema = z.object({
  id: AccountIdSchema,
  host: HostSchema,
  port: PortSchema,
  security: SecuritySchema,
  user: text(256).pipe(z.string().min(1)),
  authMethod: AuthMethodSchema.optional(),
  allowPlaintextPassword: z.boolean(),
  tlsFingerprint: FingerprintSchema.optional(),
  policy: PolicySchema,
});
export type AccountConfig = z.output<typeof AccountConfigSchema>;

/** A user command's id (app/commands.ts). */
export const CommandIdSchema = z.enum(COMMANDS.map((c) => c.id) as [CommandId, ...CommandId[]]);

/** Each command at most once: a list as long as COMMANDS at most, without repeats. */
const commandSet = z
  .array(CommandIdSchema)
  .max(COMMANDS.length)
  .refine((ids) => new Set(ids).size === ids.length, 'a command must not be listed twice');

// ---- Requests: the window asks, main answers ------------------------------------------------------------------

export const REQUESTS = {
  /** "Test account settings" (engine's probe). With `accountId` and no password, the saved one is used. */
  'accounts:test': z.object({
    host: HostSchema,
    port: PortSchema.optional(),
    security: z.enum(['tls', 'starttls', 'none', 'auto']).optional(),
    user: text(256).optional(),
    password: text(1024).optional(),
    accountId: AccountIdSchema.optional(),
    method: AuthMethodSchema.optional(),
    allowPlaintextPassword: z.boolean().optional(),
    fingerprint: FingerprintSchema.optional(),
  }),
  /** Hands a password or token to main's vault; it never comes back to the window. */
  'accounts:set-secret': z.object({
    accountId: AccountIdSchema,
    password: text(1024).optional(),
    oauthToken: text(8192).optional(),
  }),
  'accounts:forget-secret': z.object({ accountId: AccountIdSchema }),
  /** Whether a secret is saved (for the dialog's "password saved" line); never the secret. */
  'accounts:has-secret': z.object({ accountId: AccountIdSchema }),
  /** The accounts main schedules, as the window's store has them (the store is the source of truth). */
  'accounts:configure': z.object({ accounts: z.array(AccountConfigSchema).max(100) }),
  /** Send/Receive all (no id) or one account. */
  'sync:send-receive': z.object({ accountId: AccountIdSchema.optional() }),
  'sync:set-offline': z.object({ offline: z.boolean() }),
  /** After a suspected server migration left messages unmatched: the user says go ahead. */
  'sync:confirm-migration': z.object({ accountId: AccountIdSchema }),
  /** Open a link from a message in the system browser: http(s) and mailto only, checked again in main. */
  'app:open-external': z.object({ url: z.string().max(4096) }),
  'app:info': z.object({}),
  /**
   * Which commands can run now (the selection, the folder, offline), for the native menus: the window sends it
   * when the set changes, fire and forget. Main greys out the others; without native menus (the browser bridge)
   * it is accepted and ignored.
   */
  'app:command-state': z.object({ enabled: commandSet, checked: commandSet }),
} as const;

export type RequestChannel = keyof typeof REQUESTS;
export type RequestOf<C extends RequestChannel> = z.input<(typeof REQUESTS)[C]>;
export type ValidRequestOf<C extends RequestChannel> = z.output<(typeof REQUESTS)[C]>;

/** The commands that can run now, and the toggles that are on (Work Offline), as the window reports them. */
export type CommandState = ValidRequestOf<'app:command-state'>;

export interface AppInfo {
  readonly version: string;
  readonly host: 'electron' | 'browser';
  readonly platform: string;
}

export interface ResponseMap {
  'accounts:test': AccountTestReport;
  'accounts:set-secret': null;
  'accounts:forget-secret': null;
  'accounts:has-secret': boolean;
  'accounts:configure': null;
  'sync:send-receive': null;
  'sync:set-offline': null;
  'sync:confirm-migration': null;
  'app:open-external': null;
  'app:info': AppInfo;
  'app:command-state': null;
}
export type ResponseOf<C extends RequestChannel> = ResponseMap[C];

// ---- Renderer requests: main asks, the window's store answers -------------------------------------------------

export interface RendererRequestMap {
  'store:load-sync-state': { readonly request: { readonly accountId: AccountId }; readonly response: SyncStateSnapshot };
  'store:apply-sync-batch': {
    readonly request: { readonly accountId: AccountId; readonly batch: SyncBatch };
    readonly response: null;
  };
}
export type RendererRequestChannel = keyof RendererRequestMap;
export const RENDERER_REQUEST_CHANNELS: readonly RendererRequestChannel[] = ['store:load-sync-state', 'store:apply-sync-batch'];

// ---- Events: main tells the window ------------------------------------------------------------------------------

export interface SyncOutcomeEvent {
  readonly accountId: AccountId;
  readonly ok: boolean;
  readonly error?: ErrorData;
  readonly newMessages: number;
  readonly notices: readonly PlanNotice[];
  readonly needsConfirmation?: { readonly matched: number; readonly unmatched: number };
}

export interface EventMap {
  'sync:progress': SyncProgress;
  'sync:status': AccountStatus;
  'sync:outcome': SyncOutcomeEvent;
  'sync:offline': { readonly offline: boolean };
}
export type EventChannel = keyof EventMap;
export const EVENT_CHANNELS: readonly EventChannel[] = ['sync:progress', 'sync:status', 'sync:outcome', 'sync:offline'];

export function isRequestChannel(channel: unknown): channel is RequestChannel {
  return typeof channel === 'string' && Object.hasOwn(REQUESTS, channel);
}

/**
 * The window's view of main: what the preload exposes in Electron and the WebSocket client provides in a
 * browser. One shape, two hosts.
 */
export interface MainApi {
  invoke<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void;
  /** Registers the window's answer to main's requests (the store). */
  serve<C extends RendererRequestChannel>(
    channel: C,
    handler: (request: RendererRequestMap[C]['request']) => Promise<RendererRequestMap[C]['response']>,
  ): () => void;
}
