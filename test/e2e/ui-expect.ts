/**
 * Waiting assertions on the window for vitest (playwright-core has no `expect`): each waits until the UI reaches
 * the state or the time is up, through Playwright's own auto-waiting (`waitFor`) or `expect.poll`. No sleeps.
 */
import type { Locator } from 'playwright-core';
import { expect } from 'vitest';

/** Long enough for a POP3 round trip and a re-render on a loaded CI machine, well inside a test's 60 s. */
export const UI_TIMEOUT_MS = 20_000;

/** Polls `read` until the assertion that follows holds. */
export function eventually<T>(read: () => T | Promise<T>, timeout = UI_TIMEOUT_MS) {
  return expect.poll(read, { timeout, interval: 50 });
}

/** Waits until the (single) element is visible. */
export async function shows(locator: Locator, timeout = UI_TIMEOUT_MS): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout });
}

/** Waits until exactly `n` elements match. */
export async function hasCount(locator: Locator, n: number, timeout = UI_TIMEOUT_MS): Promise<void> {
  await eventually(() => locator.count(), timeout).toBe(n);
}

/** Waits until nothing matches. */
export async function isGone(locator: Locator, timeout = UI_TIMEOUT_MS): Promise<void> {
  await hasCount(locator, 0, timeout);
}

/** Waits until the (single) element's text contains `text`. */
export async function hasText(locator: Locator, text: string, timeout = UI_TIMEOUT_MS): Promise<void> {
  await eventually(async () => (await locator.textContent()) ?? '', timeout).toContain(text);
}
