/**
 * The browser bridge's wire format: every message between the window and main is one binary WebSocket frame.
 * Sync batches carry raw message bytes (`Uint8Array`), which JSON cannot hold without a 33 % base64 tax and a
 * copy per body, so a frame is a JSON header followed by the raw bytes it points to:
 *
 *     u32 (big-endian)  length H of the header
 *     H bytes           UTF-8 JSON {"v":1,"sizes":[n0,n1,…],"body":VALUE}
 *     n0 + n1 + … bytes the Uint8Arrays of VALUE, in order
 *
 * In VALUE each Uint8Array is replaced by the placeholder `{"$bin": i}`. An object key that starts with `$` is
 * sent with one more `$` (`$bin` → `$$bin`), so a placeholder can never be confused with data (a mail header
 * may be called anything). Values are JSON's plus Uint8Array; `undefined` properties are left out, as JSON does.
 * Each decoded Uint8Array owns its own ArrayBuffer (IndexedDB would otherwise store the whole frame with it).
 *
 * Environment-free (only Uint8Array, DataView, TextEncoder/TextDecoder, JSON): this one file serves both ends,
 * and belongs in app/ipc/ (see the bridge's notes).
 */
import type { ErrorData } from '../../app/errors.ts';
import type { EventChannel, RendererRequestChannel } from '../../app/ipc/contract.ts';

/** The WebSocket endpoint of the bridge, and the query parameter that carries the access token. */
export const BRIDGE_IPC_PATH = '/ipc';
export const BRIDGE_TOKEN_PARAM = 'token';
/** Close code sent to a window whose connection another window took over: it must not reconnect. */
export const REPLACED_CLOSE_CODE = 4001;

export type WireResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: ErrorData };

/** What the window sends to main. */
export type WindowMessage =
  | { readonly t: 'invoke'; readonly id: number; readonly channel: string; readonly payload: unknown }
  | { readonly t: 'reply'; readonly id: number; readonly result: WireResult };

/** What main sends to the window. */
export type MainMessage =
  | { readonly t: 'result'; readonly id: number; readonly result: WireResult }
  | { readonly t: 'event'; readonly channel: EventChannel; readonly payload: unknown }
  | { readonly t: 'request'; readonly id: number; readonly channel: RendererRequestChannel; readonly payload: unknown };

export class CodecError extends Error {
  override readonly name = 'CodecError';
}

const VERSION = 1;
const BIN = '$bin';
/** Contract values are a few levels deep; a deeper one is a bug or an attack, not data. */
const MAX_DEPTH = 64;
const HEADER_PREFIX = 4;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeFrame(message: unknown): Uint8Array<ArrayBuffer> {
  const blobs: Uint8Array[] = [];
  const body = toWire(message, blobs, 0) ?? null;
  const header = encoder.encode(JSON.stringify({ v: VERSION, sizes: blobs.map((b) => b.byteLength), body }));
  let total = HEADER_PREFIX + header.byteLength;
  for (const blob of blobs) total += blob.byteLength;
  const frame = new Uint8Array(total);
  new DataView(frame.buffer).setUint32(0, header.byteLength);
  frame.set(header, HEADER_PREFIX);
  let at = HEADER_PREFIX + header.byteLength;
  for (const blob of blobs) {
    frame.set(blob, at);
    at += blob.byteLength;
  }
  return frame;
}

export function decodeFrame(frame: Uint8Array): unknown {
  if (frame.byteLength < HEADER_PREFIX) throw new CodecError('a frame is shorter than its header length');
  const headerLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0);
  const dataStart = HEADER_PREFIX + headerLength;
  if (dataStart > frame.byteLength) throw new CodecError('a frame is shorter than its header');
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(frame.subarray(HEADER_PREFIX, dataStart)));
  } catch {
    throw new CodecError('a frame header is not UTF-8 JSON');
  }
  if (!isRecord(header) || header.v !== VERSION || !Array.isArray(header.sizes) || !('body' in header)) {
    throw new CodecError('a frame header has the wrong shape');
  }
  const offsets: number[] = [];
  let at = dataStart;
  for (const size of header.sizes as unknown[]) {
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new CodecError('a bad binary size');
    offsets.push(at);
    at += size;
  }
  if (at !== frame.byteLength) throw new CodecError('the binary sizes do not add up to the frame length');
  const sizes = header.sizes as number[];
  const blob = (index: unknown): Uint8Array => {
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= sizes.length) {
      throw new CodecError('a binary placeholder points nowhere');
    }
    const start = offsets[index] ?? 0;
    const copy = new Uint8Array(sizes[index] ?? 0);
    copy.set(frame.subarray(start, start + copy.byteLength));
    return copy;
  };
  return fromWire(header.body, blob, 0);
}

function toWire(value: unknown, blobs: Uint8Array[], depth: number): unknown {
  if (depth > MAX_DEPTH) throw new CodecError('a value is nested too deeply');
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'boolean':
    case 'string':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new CodecError(`cannot send the number ${String(value)}`);
      return value;
    case 'object': {
      if (value === null) return null;
      if (value instanceof Uint8Array) {
        blobs.push(value);
        return { [BIN]: blobs.length - 1 };
      }
      if (Array.isArray(value)) return value.map((item: unknown) => toWire(item, blobs, depth + 1) ?? null);
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new CodecError('cannot send an object that is not plain data');
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const wire = toWire(item, blobs, depth + 1);
        if (wire !== undefined) define(out, key.startsWith('$') ? `$${key}` : key, wire);
      }
      return out;
    }
    case 'bigint':
    case 'function':
    case 'symbol':
      throw new CodecError(`cannot send a ${typeof value}`);
  }
}

function fromWire(value: unknown, blob: (index: unknown) => Uint8Array, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new CodecError('a value is nested too deeply');
  if (Array.isArray(value)) return value.map((item: unknown) => fromWire(item, blob, depth + 1));
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === BIN) return blob(value[BIN]);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (key.startsWith('$') && !key.startsWith('$$')) throw new CodecError(`an unknown marker ${key.slice(0, 20)}`);
    define(out, key.startsWith('$') ? key.slice(1) : key, fromWire(value[key], blob, depth + 1));
  }
  return out;
}

/** Like `out[key] = value`, but a key such as `__proto__` becomes a property, never the prototype. */
function define(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
