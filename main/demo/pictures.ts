/**
 * The demo's pictures, drawn here rather than shipped: a minimal PNG writer (RGB, 8 bits, no filtering) and a few
 * painters. They serve as the inline (cid:) images of the sample newsletters and, from the demo's loopback image
 * server, as their "remote" images, so that "Show images" shows something without the internet.
 */
import { crc32, deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function png(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    for (let x = 0; x < width; x++) rows.set(pixel(x, y).map((c) => Math.max(0, Math.min(255, Math.round(c)))), row + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function hsl(h: number, s: number, l: number): Rgb {
  const k = (n: number): number => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => 255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1)));
  return [f(0), f(8), f(4)];
}

/** A small random-looking but fixed sequence, so a picture is the same every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

/** A topographic map: hills as height bands, contour lines between them, water below the lowest. */
export function contourMap(width: number, height: number, seed: number): Buffer {
  const next = seeded(seed);
  const hills = Array.from({ length: 8 }, () => ({ x: next() * width, y: next() * height, r: (0.08 + next() * 0.2) * Math.max(width, height), h: 0.3 + next() * 0.7 }));
  const raw = (x: number, y: number): number =>
    hills.reduce((sum, p) => sum + p.h * Math.exp(-((x - p.x) ** 2 + (y - p.y) ** 2) / (p.r * p.r)), 0);
  let top = 0;
  for (let y = 0; y < height; y += 4) for (let x = 0; x < width; x += 4) top = Math.max(top, raw(x, y));
  const band = (x: number, y: number): number => Math.min(7, Math.floor((raw(x, y) / top) * 8));
  return png(width, height, (x, y) => {
    const b = band(x, y);
    if (b === 0) return hsl(205, 0.5, 0.75);
    const edge = band(x + 1, y) !== b || band(x, y + 1) !== b;
    const land = hsl(110 - b * 12, 0.38, 0.8 - b * 0.035);
    return edge ? [land[0] * 0.6, land[1] * 0.6, land[2] * 0.6] : land;
  });
}

/** A book cover: a coloured board, a pale title label, a spine shadow. */
export function bookCover(width: number, height: number, hue: number): Buffer {
  const board = hsl(hue, 0.45, 0.38);
  const label = hsl(hue, 0.3, 0.9);
  return png(width, height, (x, y) => {
    if (x < width * 0.06) return [board[0] * 0.7, board[1] * 0.7, board[2] * 0.7];
    const inLabel = x > width * 0.18 && x < width * 0.88 && y > height * 0.2 && y < height * 0.42;
    const ruled = inLabel && (Math.floor(y - height * 0.2) % 9 === 4) && x < width * 0.78;
    return ruled ? board : inLabel ? label : board;
  });
}

/** A round badge for a sender's logo. */
export function badge(size: number, hue: number): Buffer {
  const inner = hsl(hue, 0.6, 0.45);
  return png(size, size, (x, y) => {
    const d = Math.hypot(x - size / 2, y - size / 2) / (size / 2);
    if (d > 1) return [255, 255, 255];
    return d > 0.82 ? hsl(hue, 0.6, 0.3) : Math.abs(x - y) < size * 0.08 ? [255, 255, 255] : inner;
  });
}

const PAINTERS: Readonly<Record<string, () => Buffer>> = {
  'contour-hero': () => contourMap(560, 200, 48),
  'contour-tides': () => contourMap(260, 160, 7),
  'cover-atlas': () => bookCover(96, 136, 210),
  'cover-rivers': () => bookCover(96, 136, 150),
  'cover-islands': () => bookCover(96, 136, 25),
  'cover-stars': () => bookCover(96, 136, 265),
  'bramble-logo': () => badge(48, 340),
  'parcelbird-logo': () => badge(40, 35),
  pixel: () => png(1, 1, () => [255, 255, 255]),
};

const cache = new Map<string, Buffer>();

/** The picture served as `/<name>.png`, if there is one by that name. */
export function picture(name: string): Buffer | undefined {
  const paint = Object.hasOwn(PAINTERS, name) ? PAINTERS[name] : undefined;
  if (paint === undefined) return undefined;
  let made = cache.get(name);
  if (made === undefined) {
    made = paint();
    cache.set(name, made);
  }
  return made;
}
