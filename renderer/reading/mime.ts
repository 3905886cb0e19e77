/**
 * Parsing a downloaded message for the reading pane (mime-parse.ts has the parser and the view model it makes).
 * In the window, the parse runs in a worker (mime-worker.ts), so that a large message (a 1 MB newsletter, a 20 MB
 * attachment) never holds up the UI thread; the result comes back by structured clone, the attachments' bytes
 * transferred. Where there is no worker (Node, the tests) or it cannot start (a host that refuses workers), the
 * message is parsed on the calling thread, with the same result.
 */
import type { MimeLimits, ParsedMessage } from './mime-parse.ts';
import { DEFAULT_MIME_LIMITS, parseMessageHere } from './mime-parse.ts';

export type { AttachmentView, BodyView, MimeLimits, ParsedMessage } from './mime-parse.ts';
export { DEFAULT_MIME_LIMITS, parseMessageHere, toBase64 } from './mime-parse.ts';

/** What the window sends the MIME worker. */
export interface MimeRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly limits: MimeLimits;
}

/** What the MIME worker answers. */
export type MimeReply =
  | { readonly id: number; readonly ok: true; readonly parsed: ParsedMessage }
  | { readonly id: number; readonly ok: false; readonly message: string };

/** The part of a Web Worker the client uses (typed here: the Node test project has no DOM types). */
interface WorkerPort {
  postMessage(message: MimeRequest): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { preventDefault(): void }) => void): void;
  terminate(): void;
}

/** The host's Worker constructor, where there is one (a window); `typeof Worker` is 'undefined' in Node. */
declare const Worker: new (url: URL, options: { readonly type: 'module'; readonly name: string }) => WorkerPort;

function isReply(data: unknown): data is MimeReply {
  if (typeof data !== 'object' || data === null) return false;
  const r = data as { id?: unknown; ok?: unknown };
  return typeof r.id === 'number' && typeof r.ok === 'boolean';
}

interface Pending {
  readonly bytes: Uint8Array;
  readonly limits: MimeLimits;
  readonly resolve: (parsed: ParsedMessage) => void;
  readonly reject: (error: Error) => void;
}

/** The window's side of the worker: requests by id; if the worker fails, what it held is parsed here instead. */
class MimeWorkerClient {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private failed = false;

  constructor(private readonly worker: WorkerPort) {
    worker.addEventListener('message', (event) => {
      const reply = event.data;
      if (!isReply(reply)) return;
      const request = this.pending.get(reply.id);
      if (request === undefined) return;
      this.pending.delete(reply.id);
      if (reply.ok) request.resolve(reply.parsed);
      else request.reject(new Error(reply.message));
    });
    // A worker that cannot load (refused by the host, a script error) fires `error`: give up on it for the session.
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail();
    });
  }

  get usable(): boolean {
    return !this.failed;
  }

  parse(bytes: Uint8Array, limits: MimeLimits): Promise<ParsedMessage> {
    return new Promise<ParsedMessage>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { bytes, limits, resolve, reject });
      // The bytes are copied (1 MB is well under a millisecond): the caller keeps its array.
      this.worker.postMessage({ id, bytes, limits } satisfies MimeRequest);
    });
  }

  private fail(): void {
    this.failed = true;
    this.worker.terminate();
    const held = [...this.pending.values()];
    this.pending.clear();
    for (const request of held) parseMessageHere(request.bytes, request.limits).then(request.resolve, request.reject);
  }
}

let client: MimeWorkerClient | null | undefined;

function mimeWorker(): MimeWorkerClient | undefined {
  if (client === undefined) {
    client = null;
    if (typeof Worker === 'function') {
      try {
        client = new MimeWorkerClient(
          new Worker(new URL('./mime-worker.ts', import.meta.url), { type: 'module', name: 'poplar-mime' }),
        );
      } catch {
        // Refused (a policy without workers): parse here.
      }
    }
  }
  return client?.usable === true ? client : undefined;
}

/**
 * Parses asked for with the default limits, by the very array given: a caller that starts a parse early (the
 * window, as soon as a selected message's bytes are read: prefetchParse) and the pane that asks for it later share
 * one parse. Held weakly: an entry goes with its bytes.
 */
const parses = new WeakMap<Uint8Array, Promise<ParsedMessage>>();

/** Parses a downloaded message: in the MIME worker when there is one, here otherwise. */
export function parseMessage(bytes: Uint8Array, limits: MimeLimits = DEFAULT_MIME_LIMITS): Promise<ParsedMessage> {
  const shared = limits === DEFAULT_MIME_LIMITS;
  const known = shared ? parses.get(bytes) : undefined;
  if (known !== undefined) return known;
  const worker = mimeWorker();
  const parsed = worker === undefined ? parseMessageHere(bytes, limits) : worker.parse(bytes, limits);
  if (shared) parses.set(bytes, parsed);
  return parsed;
}

/**
 * Starts parsing these bytes now, for a pane that will ask for the same array with parseMessage. A failure is left
 * for that request to report.
 */
export function prefetchParse(bytes: Uint8Array): void {
  parseMessage(bytes).catch(() => undefined);
}

/**
 * Starts the worker ahead of the first message, so that opening it does not wait for the worker's script to load.
 * Idempotent; does nothing where there is no worker.
 */
export function prepareMimeParser(): void {
  mimeWorker();
}

/**
 * A second after start-up (this module loads with the reading pane), the worker is started, so that the first
 * message opened does not wait for the worker's script to load and compile.
 */
const WARM_UP_AFTER_MS = 1000;
if (typeof Worker === 'function') setTimeout(prepareMimeParser, WARM_UP_AFTER_MS);
