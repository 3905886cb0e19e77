import { describe, expect, it } from 'vitest';
import { newToken, tokenMatches, TOKEN_PATTERN } from '../../../main/browser/token.ts';

describe('the access token', () => {
  it('is 32 random bytes in hex', () => {
    const a = newToken();
    expect(a).toMatch(TOKEN_PATTERN);
    expect(newToken()).not.toBe(a);
  });

  it('matches only itself', () => {
    const t = newToken();
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches(t.toUpperCase(), t)).toBe(false);
    expect(tokenMatches(t.slice(1), t)).toBe(false);
    expect(tokenMatches(`${t} `, t)).toBe(false);
    expect(tokenMatches(null, t)).toBe(false);
    expect(tokenMatches(undefined, t)).toBe(false);
    expect(tokenMatches('', '')).toBe(false);
  });
});
