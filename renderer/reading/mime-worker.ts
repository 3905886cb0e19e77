/**
 * The MIME worker: parses downloaded messages off the window's thread (design: "MIME parsing of large messages
 * should not block the UI thread"). One request at a time, answered in order; the attachments' bytes are
 * transferred, not copied. See mime.ts for the window's side.
 */
import { installMemoryBlob } from './memory-blob.ts';
import { parseMessageHere } from './mime-parse.ts';
import type { MimeReply, MimeRequest } from './mime.ts';

/** The worker's global scope, as far as this file uses it (the WebWorker lib is not in the window's tsconfig). */
interface WorkerScope {
  Blob: unknown;
  addEventListener(type: 'message', listener: (event: { readonly data: MimeRequest }) => void): void;
  postMessage(message: MimeReply, transfer: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;

// postal-mime joins each part's bytes through a Blob, which in Chromium is a round trip to the browser process
// per part; in this worker, which uses Blob for nothing else, the join stays in memory (memory-blob.ts).
installMemoryBlob(scope);

async function handle(request: MimeRequest): Promise<void> {
  try {
    const parsed = await parseMessageHere(request.bytes, request.limits);
    scope.postMessage(
      { id: request.id, ok: true, parsed },
      parsed.attachments.map((a) => a.bytes.buffer),
    );
  } catch (e) {
    scope.postMessage({ id: request.id, ok: false, message: e instanceof Error ? e.message : String(e) }, []);
  }
}

scope.addEventListener('message', (event) => {
  void handle(event.data);
});
