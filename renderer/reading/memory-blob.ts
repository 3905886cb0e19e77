/**
 * A Blob that stays in the worker's memory, for postal-mime inside the MIME worker (mime-worker.ts).
 *
 * postal-mime 4 joins the decoded chunks of every MIME part with `new Blob(chunks).arrayBuffer()`. In Chromium a
 * Blob's bytes go to the browser process's blob registry and `arrayBuffer()` reads them back over IPC: for the
 * 1 MB newsletter of `npm run bench:ui` those round trips are about 40 % of the whole parse on a quiet machine
 * (23 ms with Blob, 13-15 ms without, in a Chromium page), and they grow with the browser process's load. The worker
 * uses Blob for nothing else, so there it is replaced by this class, which joins the same bytes in place and gives
 * the same `arrayBuffer()` result. The window's own Blob (attachments are saved through one) is never touched.
 *
 * Only the part of Blob that postal-mime uses is here: the constructor, `size`, `type` and `arrayBuffer()`. Parts
 * are taken as the Blob constructor takes them (File API §3.1): buffers and views by their bytes, strings as
 * UTF-8 without line-ending conversion, another MemoryBlob by its bytes, anything else by its string value.
 */

export type MemoryBlobPart = ArrayBuffer | ArrayBufferView | string | MemoryBlob;

const encoder = new TextEncoder();

export class MemoryBlob {
  readonly type: string;
  readonly size: number;
  /** The joined bytes: a copy, as a Blob's are (later writes to a part do not change it). */
  private readonly bytes: Uint8Array<ArrayBuffer>;

  constructor(parts: Iterable<MemoryBlobPart> = [], options: { readonly type?: string } = {}) {
    const views = Array.from(parts, (part) => MemoryBlob.bytesOf(part));
    let size = 0;
    for (const view of views) size += view.byteLength;
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const view of views) {
      bytes.set(view, at);
      at += view.byteLength;
    }
    this.bytes = bytes;
    this.size = size;
    // File API: a type with a character outside U+0020-U+007E becomes the empty string; otherwise lower case.
    const type = options.type ?? '';
    this.type = /^[\x20-\x7e]*$/.test(type) ? type.toLowerCase() : '';
  }

  /** A fresh copy each time, as Blob.arrayBuffer() gives. */
  arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.bytes.slice().buffer);
  }

  private static bytesOf(part: unknown): Uint8Array {
    if (part instanceof ArrayBuffer) return new Uint8Array(part);
    if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
    if (part instanceof MemoryBlob) return part.bytes;
    return encoder.encode(String(part));
  }
}

/** Replaces the `Blob` of a global scope that is the MIME worker's alone (see above); never call it in a window. */
export function installMemoryBlob(scope: { Blob: unknown }): void {
  scope.Blob = MemoryBlob;
}
