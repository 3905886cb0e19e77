/**
 * Debian's Chromium as the browser tests and the benches run it: never a downloaded browser (house rule), no GPU,
 * no background requests of its own (a test that counts requests must see only the page's). `--no-sandbox`
 * because the tests run as root in a container, where Chromium's own sandbox cannot start.
 */
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/**
 * The app's window as the end-to-end tests and the benches open it: one size, locale and time zone, so that their
 * figures, dates and screenshots compare from run to run.
 */
export function launchAppWindow(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 1360, height: 820 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
}
