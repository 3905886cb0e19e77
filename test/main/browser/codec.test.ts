import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError, decodeFrame, encodeFrame } from '../../../app/ipc/codec.ts';

/** Values the codec carries: JSON's (without -0, which JSON cannot tell from 0) plus Uint8Array. */
const KEY = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('$bin', '$$bin', '$', '$$', '$x', '__proto__', 'constructor', 'toString', ''),
);
const { value: VALUE } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.integer(),
    fc.string({ unit: 'binary' }),
    fc.uint8Array({ maxLength: 300 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(KEY, tie('value'), { maxKeys: 5, noNullPrototype: true }),
  ),
}));

describe('the bridge codec', () => {
  it('decode(encode(x)) deep-equals x for nested values with Uint8Arrays', () => {
    fc.assert(
      fc.property(VALUE, (value) => {
        // toEqual, not toStrictEqual: a generated own key "constructor" would defeat the latter's class check.
        expect(decodeFrame(encodeFrame(value))).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('carries bytes raw after a JSON header, and each decoded array owns its own buffer', () => {
    const a = new Uint8Array([0, 1, 2, 255]);
    const b = Buffer.from('\r\n.\r\n', 'latin1');
    const frame = encodeFrame({ bytes: [a, b], empty: new Uint8Array(0) });
    const headerLength = new DataView(frame.buffer).getUint32(0);
    const header = JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + headerLength))) as unknown;
    expect(header).toEqual({ v: 1, sizes: [4, 5, 0], body: { bytes: [{ $bin: 0 }, { $bin: 1 }], empty: { $bin: 2 } } });
    expect(frame.byteLength).toBe(4 + headerLength + 9);
    const decoded = decodeFrame(frame) as { bytes: Uint8Array[]; empty: Uint8Array };
    expect(decoded.bytes[0]).toEqual(a);
    expect(decoded.bytes[1]).toEqual(new Uint8Array(b));
    expect(decoded.bytes[1]?.constructor).toBe(Uint8Array);
    expect(decoded.bytes[0]?.buffer.byteLength).toBe(4);
    expect(decoded.empty).toEqual(new Uint8Array(0));
  });

  it('decodes from a view into a larger buffer (as a socket hands it over)', () => {
    const frame = encodeFrame({ body: new Uint8Array([7, 8, 9]) });
    const big = new Uint8Array(frame.byteLength + 20);
    big.set(frame, 10);
    expect(decodeFrame(big.subarray(10, 10 + frame.byteLength))).toEqual({ body: new Uint8Array([7, 8, 9]) });
  });

  it('keeps data that looks like a placeholder as data, and a __proto__ key as a property', () => {
    const value = JSON.parse('{"$bin":0,"__proto__":{"polluted":true},"$$":[{"$bin":1}]}') as unknown;
    const decoded = decodeFrame(encodeFrame(value)) as Record<string, unknown>;
    expect(decoded).toStrictEqual(value);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves out undefined properties, as JSON does, and turns undefined array items into null', () => {
    expect(decodeFrame(encodeFrame({ a: undefined, b: [undefined, 1] }))).toStrictEqual({ b: [null, 1] });
    expect(decodeFrame(encodeFrame(undefined))).toBeNull();
  });

  it('refuses what it cannot carry faithfully', () => {
    for (const bad of [NaN, Infinity, 1n, () => 1, Symbol('s'), new Date(0), new Map(), new Uint16Array(2)]) {
      expect(() => encodeFrame({ bad })).toThrow(CodecError);
    }
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => encodeFrame(deep)).toThrow(CodecError);
  });

  it('refuses malformed frames with a CodecError', () => {
    const good = encodeFrame({ x: new Uint8Array([1, 2, 3]) });
    const header = (json: string, tail: number[] = []): Uint8Array => {
      const bytes = new TextEncoder().encode(json);
      const frame = new Uint8Array(4 + bytes.byteLength + tail.length);
      new DataView(frame.buffer).setUint32(0, bytes.byteLength);
      frame.set(bytes, 4);
      frame.set(tail, 4 + bytes.byteLength);
      return frame;
    };
    const cases: Uint8Array[] = [
      new Uint8Array([0, 0]),
      new Uint8Array([0, 0, 0, 50, 1]),
      good.subarray(0, good.byteLength - 1),
      new Uint8Array([...good, 0]),
      header('{"v":2,"sizes":[],"body":null}'),
      header('{"v":1,"sizes":[],"body":{"$bin":0}}'),
      header('{"v":1,"sizes":[1],"body":{"$bin":1}}', [9]),
      header('{"v":1,"sizes":[1],"body":{"$bin":-1}}', [9]),
      header('{"v":1,"sizes":[-1],"body":null}'),
      header('{"v":1,"sizes":[],"body":{"$evil":1}}'),
      header('{"v":1,"sizes":[]}'),
      header('not json'),
      header('{"v":1,"sizes":[],"body":"\uFFFD"}').map((b) => (b === 0xef ? 0xff : b)),
    ];
    for (const frame of cases) expect(() => decodeFrame(frame)).toThrow(CodecError);
  });


});
