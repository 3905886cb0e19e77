/**
 * The host side of "main asks the window" (RendererRequestMap), shared by both hosts: a `HostPort` whose
 * requests carry an id, wait for the window's answer, and fail as `STORE_FAILED` when the window is not there,
 * goes away, or does not answer in time. Each host supplies only the transport (`WindowLink`).
 */
import { z } from 'zod';
import { MAIL_ERROR_CODES, mailError, type MailError, type MailErrorCode } from '../../app/errors.ts';
import type { EventMap, RendererRequestChannel, RendererRequestMap } from '../../app/ipc/contract.ts';
import { SILENT_LOGGER, type Logger } from '../log.ts';
import type { HostPort } from '../services/services.ts';

export interface WindowLink {
  /** Delivers an event to the window, if one is there (events to nobody are dropped). */
  sendEvent<E extends keyof EventMap>(channel: E, payload: EventMap[E]): void;
  /** Sends a request to the window; false when no window is connected. May throw if the payload cannot be sent. */
  sendRequest(id: number, channel: RendererRequestChannel, payload: unknown): boolean;
}

export interface WindowPortOptions {
  /** How long the window may take to answer one request (a batch commit in IndexedDB). */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

export const DEFAULT_WINDOW_REQUEST_TIMEOUT_MS = 120_000;

/** The window's answer, checked: the window renders mail and is not trusted with main's control flow. */
const ErrorDataSchema = z.object({
  code: z.string().max(64),
  message: z.string().max(10_000),
  details: z
    .object({
      serverText: z.string().max(10_000).optional(),
      responseCode: z.string().max(256).optional(),
      command: z.string().max(1_000).optional(),
      facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    })
    .optional(),
});
export const WireResultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorDataSchema }),
]);

interface Waiting {
  readonly channel: RendererRequestChannel;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: MailError) => void;
  readonly timer: NodeJS.Timeout;
}

const KNOWN_CODES: ReadonlySet<string> = new Set(MAIL_ERROR_CODES);

export class WindowPort implements HostPort {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly timeoutMs: number;
  private readonly log: Logger;

  constructor(
    private readonly link: WindowLink,
    options: WindowPortOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_WINDOW_REQUEST_TIMEOUT_MS;
    this.log = options.logger ?? SILENT_LOGGER;
  }

  emit<E extends keyof EventMap>(channel: E, payload: EventMap[E]): void {
    this.link.sendEvent(channel, payload);
  }

  request<C extends RendererRequestChannel>(
    channel: C,
    payload: RendererRequestMap[C]['request'],
  ): Promise<RendererRequestMap[C]['response']> {
    const id = this.nextId++;
    return new Promise<RendererRequestMap[C]['response']>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.finish(id)?.reject(
          mailError('STORE_FAILED', `The window did not answer ${channel} within ${Math.round(this.timeoutMs / 1000)} s.`),
        );
      }, this.timeoutMs);
      this.waiting.set(id, { channel, resolve: resolve as (value: unknown) => void, reject, timer });
      let sent: boolean;
      try {
        sent = this.link.sendRequest(id, channel, payload);
      } catch (e) {
        this.finish(id)?.reject(mailError('STORE_FAILED', `Could not send ${channel} to the window.`, {}, e));
        return;
      }
      if (!sent) {
        this.finish(id)?.reject(
          mailError('STORE_FAILED', 'The Poplar window is not open, so its mail store cannot be reached.'),
        );
      }
    });
  }

  /** The window's answer to request `id`; false when nothing waits for it (late, unknown, or malformed). */
  settle(id: unknown, raw: unknown): boolean {
    if (typeof id !== 'number') return false;
    const parsed = WireResultSchema.safeParse(raw);
    if (!parsed.success) {
      const entry = this.finish(id);
      entry?.reject(mailError('STORE_FAILED', `The window answered ${entry.channel} with something that is not a result.`));
      return false;
    }
    const entry = this.finish(id);
    if (entry === undefined) {
      this.log.debug('an answer from the window came after its request ended', { id });
      return false;
    }
    const result = parsed.data;
    if (result.ok) entry.resolve(result.value);
    else {
      const code: MailErrorCode = KNOWN_CODES.has(result.error.code) ? (result.error.code as MailErrorCode) : 'STORE_FAILED';
      entry.reject(mailError(code, result.error.message, result.error.details ?? {}));
    }
    return true;
  }

  /** The window went away (closed, reloaded, replaced): nothing sent to it will be answered. */
  disconnected(why: string): void {
    for (const id of [...this.waiting.keys()]) {
      const entry = this.finish(id);
      entry?.reject(mailError('STORE_FAILED', `The window went away before it answered ${entry.channel} (${why}).`));
    }
  }

  get pending(): number {
    return this.waiting.size;
  }

  private finish(id: number): Waiting | undefined {
    const entry = this.waiting.get(id);
    if (entry === undefined) return undefined;
    this.waiting.delete(id);
    clearTimeout(entry.timer);
    return entry;
  }
}
