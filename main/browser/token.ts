/**
 * The bridge's access token: whoever holds it drives the mail client, so it is long, random, and compared in
 * constant time. Both sides are hashed first, so the comparison takes the same time whatever the lengths.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_PATTERN = /^[0-9a-f]{64}$/;

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

export function tokenMatches(offered: string | null | undefined, expected: string): boolean {
  const a = createHash('sha256').update(offered ?? '', 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  // `offered !== null` keeps "no token" from matching an (invalid) empty expected token.
  return timingSafeEqual(a, b) && offered !== null && offered !== undefined && expected !== '';
}
