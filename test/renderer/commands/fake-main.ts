/**
 * A MainApi in memory, for the window's tests: records every request, answers from per-channel handlers (ok/null
 * by default), delivers events the test emits, and lets the test play main asking the store.
 */
import type { ErrorData } from '../../../app/errors.ts';
import type {
  EventChannel,
  EventMap,
  MainApi,
  RendererRequestChannel,
  RendererRequestMap,
  RequestChannel,
  RequestOf,
  ResponseOf,
  Result,
} from '../../../app/ipc/contract.ts';

export interface Call {
  readonly channel: RequestChannel;
  readonly payload: unknown;
}

type Answers = { [C in RequestChannel]?: (payload: RequestOf<C>) => Result<ResponseOf<C>> };

type Served = {
  [C in RendererRequestChannel]?: (request: RendererRequestMap[C]['request']) => Promise<RendererRequestMap[C]['response']>;
};

export interface FakeMain extends MainApi {
  readonly calls: Call[];
  readonly answers: Answers;
  callsTo<C extends RequestChannel>(channel: C): RequestOf<C>[];
  emit<E extends EventChannel>(channel: E, payload: EventMap[E]): void;
  /** Main asks the window's store, as the sync executor does over IPC. */
  request<C extends RendererRequestChannel>(
    channel: C,
    request: RendererRequestMap[C]['request'],
  ): Promise<RendererRequestMap[C]['response']>;
  listenerCount(channel: EventChannel): number;
}

export function failure(code: ErrorData['code'], message = 'refused', serverText?: string): { ok: false; error: ErrorData } {
  return { ok: false, error: { code, message, details: serverText === undefined ? {} : { serverText } } };
}

const DEFAULT_VALUES: { [C in RequestChannel]: ResponseOf<C> } = {
  'accounts:test': { host: '', attempts: [], capabilities: [], pipelining: false, authMethods: [] },
  'accounts:set-secret': null,
  'accounts:forget-secret': null,
  'accounts:has-secret': false,
  'accounts:configure': null,
  'sync:send-receive': null,
  'sync:set-offline': null,
  'sync:confirm-migration': null,
  'app:open-external': null,
  'app:info': { version: '0.0.0', host: 'browser', platform: 'linux' },
  'app:command-state': null,
};

export function fakeMain(answers: Answers = {}): FakeMain {
  const calls: Call[] = [];
  const listeners = new Map<EventChannel, Set<(payload: never) => void>>();
  const served: Served = {};
  return {
    calls,
    answers,
    invoke<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      calls.push({ channel, payload });
      const answer = answers[channel];
      return Promise.resolve(answer === undefined ? { ok: true, value: DEFAULT_VALUES[channel] } : answer(payload));
    },
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    serve(channel, handler) {
      (served as Record<string, unknown>)[channel] = handler;
      return () => {
        (served as Record<string, unknown>)[channel] = undefined;
      };
    },
    callsTo<C extends RequestChannel>(channel: C) {
      return calls.filter((c) => c.channel === channel).map((c) => c.payload as RequestOf<C>);
    },
    emit(channel, payload) {
      for (const listener of listeners.get(channel) ?? []) (listener as (p: typeof payload) => void)(payload);
    },
    request(channel, request) {
      const handler = served[channel];
      if (handler === undefined) return Promise.reject(new Error(`nothing serves ${channel}`));
      return handler(request);
    },
    listenerCount: (channel) => listeners.get(channel)?.size ?? 0,
  };
}
