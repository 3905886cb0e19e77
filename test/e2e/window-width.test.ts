/**
 * End to end, the window a user lives in at the widths people use: the toolbar keeps to one line from 1400 px down
 * to 900 px (what does not fit goes into "More", reachable by keyboard), a preview shows the lines TOP fetched with
 * their line breaks, and a server that cannot be reached is shown in the status bar with when Poplar retries.
 * Screenshots go to test/e2e/.screenshots/ (git-ignored).
 */
import { expect, it } from 'vitest';
import { addAccount, messageList, messageRow, openMessage, previewBar, readingPane, stateIcon, statusBar, toolbar } from './poplar-window.ts';
import { e2eSuite } from './suite.ts';
import { eventually, hasCount, hasText, isGone, shows } from './ui-expect.ts';

const ACCOUNT = 'Narrow mail';
const PREVIEW_LINES = 6;
const TIMEOUT_MS = 60_000;

const { env, describeE2e, dovecotAccount } = e2eSuite({ count: 3, seed: 11 });

describeE2e('Poplar end to end: the window at 1400, 1100 and 900 px', () => {
  it(
    'adds an account, and shows the fetched first lines of a preview, line breaks kept, under the "only the beginning" bar',
    async () => {
      const { page } = env();
      await addAccount(page, dovecotAccount(ACCOUNT, PREVIEW_LINES));
      await hasCount(stateIcon(messageList(page), 'Preview only'), env().serverCount);
      const first = env().plain[0];
      if (first === undefined) throw new Error('no message');
      await openMessage(page, first.subject);
      await shows(previewBar(page));
      const lines = readingPane(page).locator('.rp-first-lines');
      await shows(lines);
      const text = (await lines.textContent()) ?? '';
      expect(text.split('\n').length).toBeGreaterThan(1);
      expect(text).not.toContain(first.tailLine);
      expect(text).not.toMatch(/<[a-z]/i);
    },
    TIMEOUT_MS,
  );

  it.each([1400, 1100, 900])(
    'keeps the toolbar on one line at %i px, the search box inside the window',
    async (width) => {
      const { page } = env();
      await page.setViewportSize({ width, height: 820 });
      const bar = toolbar(page);
      await eventually(async () => (await bar.boundingBox())?.height ?? 0).toBeLessThan(50);
      const search = await bar.getByRole('searchbox').boundingBox();
      expect((search?.x ?? Infinity) + (search?.width ?? 0)).toBeLessThanOrEqual(width);
      const status = await statusBar(page).boundingBox();
      expect((status?.x ?? Infinity) + (status?.width ?? 0)).toBeLessThanOrEqual(width);
      // Every command is on the toolbar or in its More menu, and always the main three on the toolbar.
      for (const name of ['Send/Receive All', 'Download Now', 'Delete']) await shows(bar.getByRole('button', { name, exact: true }));
      const more = bar.getByRole('button', { name: 'More commands' });
      if (width >= 1400) await hasCount(more, 0);
      if (width <= 900) await shows(more);
      await env().screenshot(`width-${width}`);
    },
    TIMEOUT_MS,
  );

  it(
    'at 900 px, reaches the commands that did not fit through More, by keyboard, and runs them',
    async () => {
      const { page } = env();
      await page.setViewportSize({ width: 900, height: 820 });
      const subject = env().plain[1]?.subject ?? '';
      await openMessage(page, subject);
      const bar = toolbar(page);
      const more = bar.getByRole('button', { name: 'More commands' });
      await hasCount(bar.getByRole('button', { name: 'Mark a Copy', exact: true }), 0);

      await more.focus();
      await page.keyboard.press('Enter');
      const menu = page.getByRole('menu', { name: 'More commands' });
      await shows(menu);
      expect(await more.getAttribute('aria-expanded')).toBe('true');
      await shows(menu.getByRole('menuitemcheckbox', { name: 'Work Offline' }));
      expect(await menu.getByRole('menuitemcheckbox', { name: 'Work Offline' }).getAttribute('aria-checked')).toBe('false');
      await env().screenshot('width-900-more');
      await page.keyboard.press('Escape');
      await isGone(menu);
      expect(await more.getAttribute('aria-expanded')).toBe('false');

      // Escape left the focus on More: Down opens the menu again, on its first command.
      await page.keyboard.press('ArrowDown');
      await shows(menu);
      await menu.getByRole('menuitem', { name: /^Mark to Download a Copy/ }).click();
      await isGone(menu);
      await shows(stateIcon(messageRow(page, subject), 'Marked to download a copy'));
      expect(env().pageErrors).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'says in the status bar that the server cannot be reached, and when Poplar tries again',
    async () => {
      const { page } = env();
      await page.setViewportSize({ width: 1100, height: 820 });
      await env().dovecot.stop();
      await toolbar(page).getByRole('button', { name: 'Send/Receive All', exact: true }).click();
      await hasText(statusBar(page), `${ACCOUNT}: Cannot reach 127.0.0.1 — retrying `);
      await env().screenshot('width-1100-retrying');
    },
    TIMEOUT_MS,
  );
});
