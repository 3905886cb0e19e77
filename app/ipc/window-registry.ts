/**
 * The window's side of `MainApi` that both hosts share: who listens to which event, and which handler answers
 * each of main's requests. The Electron preload and the browser bridge client differ only in how messages
 * travel; what they deliver, to whom, and how a misbehaving listener is contained is this one piece.
 */
import { mailError, toErrorData, type ErrorData, type MailErrorCode } from '../errors.ts';
import {
  EVENT_CHANNELS,
  RENDERER_REQUEST_CHANNELS,
  type EventChannel,
  type EventMap,
  type RendererRequestChannel,
  type RendererRequestMap,
} from './contract.ts';

type Listener = (payload: never) => void;
type Handler = (request: never) => Promise<unknown>;

/** Function-valued properties, not methods: `on` and `serve` are handed on unbound as `MainApi`'s own. */
export interface WindowRegistry {
  readonly on: <E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void) => () => void;
  readonly serve: <C extends RendererRequestChannel>(
    channel: C,
    handler: (request: RendererRequestMap[C]['request']) => Promise<RendererRequestMap[C]['response']>,
  ) => () => void;
  /** Delivers an event to its listeners; one throwing listener does not stop the others. */
  readonly deliver: (channel: unknown, payload: unknown) => void;
  /** The handler for one of main's requests, if the window registered one. */
  readonly handler: (channel: unknown) => ((request: unknown) => Promise<unknown>) | undefined;
}

export function createWindowRegistry(report: (error: unknown) => void): WindowRegistry {
  const listeners = new Map<EventChannel, Set<Listener>>();
  const handlers = new Map<RendererRequestChannel, Handler>();
  return {
    on(channel, listener) {
      if (!isEventChannel(channel)) {
        report(new TypeError(`no event channel ${String(channel)}`));
        return () => undefined;
      }
      let set = listeners.get(channel);
      if (set === undefined) listeners.set(channel, (set = new Set()));
      const entry = listener as Listener;
      set.add(entry);
      return () => void set.delete(entry);
    },
    serve(channel, handler) {
      if (!isRendererRequestChannel(channel)) {
        report(new TypeError(`no renderer request channel ${String(channel)}`));
        return () => undefined;
      }
      const entry = handler as Handler;
      handlers.set(channel, entry);
      return () => {
        if (handlers.get(channel) === entry) handlers.delete(channel);
      };
    },
    deliver(channel, payload) {
      if (!isEventChannel(channel)) return;
      for (const listener of listeners.get(channel) ?? []) guard(report, () => listener(payload as never));
    },
    handler(channel) {
      const h = isRendererRequestChannel(channel) ? handlers.get(channel) : undefined;
      return h === undefined ? undefined : (request: unknown) => h(request as never);
    },
  };
}

export function isEventChannel(channel: unknown): channel is EventChannel {
  return EVENT_CHANNELS.includes(channel as EventChannel);
}

export function isRendererRequestChannel(channel: unknown): channel is RendererRequestChannel {
  return RENDERER_REQUEST_CHANNELS.includes(channel as RendererRequestChannel);
}

/** A failed `Result`, built from the one error factory. */
export function failure(code: MailErrorCode, message: string): { readonly ok: false; readonly error: ErrorData } {
  return { ok: false, error: toErrorData(mailError(code, message)) };
}

/** Runs one listener; what it throws goes to `report`, so one bad listener cannot stop the others. */
export function guard(report: (error: unknown) => void, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    report(e);
  }
}

/** The page's own error reporting (the global reportError), where a window's listener errors go by default. */
export function reportToPage(error: unknown): void {
  const scope = globalThis as { readonly reportError?: (error: unknown) => void };
  scope.reportError?.(error);
}
