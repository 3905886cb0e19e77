/**
 * The few Web APIs app/ may use: they exist alike in Node (global since v11) and in browsers, and app/ is
 * compiled without DOM or Node types so that nothing else slips in.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: string;
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
