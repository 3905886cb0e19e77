/**
 * End to end: the real window in Debian's Chromium, the browser bridge and main's services, and a real Dovecot on
 * loopback. One mailbox, one story, in the order a user lives it: add the account and download a preview, mark
 * two and Send/Receive, delete one for good and see it leave the server, open a hostile HTML mail, then lose the
 * server and reload.
 *
 * The tests share one window and build on each other (each says what it starts from); the Dovecot stops in the
 * last one. Screenshots of each main state go to test/e2e/.screenshots/ (git-ignored).
 */
import { expect, it } from 'vitest';
import { readMaildirMessages } from '../support/mailbox.ts';
import type { ServerMail } from './harness.ts';
import {
  ALLOWED_AFTER_CONSENT,
  HOSTILE_BODY_TEXT,
  HOSTILE_MESSAGE_ID,
  HOSTILE_SUBJECT,
  PWNED_MARKER,
  TRACKING_PIXEL,
} from './hostile-mail.ts';
import {
  accountSection,
  addAccount,
  folderButton,
  folders,
  messageFrame,
  messageList,
  messageRow,
  openMessage,
  previewBar,
  readingPane,
  stateIcon,
  statusBar,
  storedPreparedViews,
  toolbarButton,
} from './poplar-window.ts';
import { e2eSuite } from './suite.ts';
import { eventually, hasCount, hasText, isGone, shows } from './ui-expect.ts';

const ACCOUNT = 'Home mail';
/** Short previews, so that a message's later lines prove it was downloaded whole. */
const PREVIEW_LINES = 2;
const SCENARIO_TIMEOUT_MS = 60_000;

const { env, describeE2e, dovecotAccount } = e2eSuite({ count: 5, seed: 7 });

function mail(index: number): ServerMail {
  const found = env().plain[index];
  if (found === undefined) throw new Error(`no message ${index} on the test server`);
  return found;
}

function onServer(): ReadonlyMap<string, Buffer> {
  return readMaildirMessages(env().dovecot.maildir());
}

/** The browser's requests that went anywhere but the bridge's own origin (data: and about: load nothing). */
function foreignRequests(): string[] {
  return env().requests.filter(
    (url) => !url.startsWith(`${env().bridge.origin}/`) && !url.startsWith('data:') && !url.startsWith('about:'),
  );
}

/** Foreign requests other than the remote images and styles "Show images" allows: none may ever be made. */
function forbiddenRequests(): string[] {
  const { recorder } = env();
  return foreignRequests().filter(
    (url) => !url.startsWith(`${recorder.origin}/`) || !ALLOWED_AFTER_CONSENT.includes(new URL(url).pathname),
  );
}

describeE2e('Poplar end to end: window, bridge and a real Dovecot', () => {
  it(
    'adds an account through the dialog, lists a preview of every message, and downloads one whole',
    async () => {
      const { page } = env();
      const first = mail(1);
      await shows(folders(page).getByText('No accounts yet.'));
      await env().screenshot('01-empty-window');

      await addAccount(page, dovecotAccount(ACCOUNT, PREVIEW_LINES), async () => {
        const dialog = page.getByRole('dialog', { name: 'Add account' });
        await shows(dialog.getByText(`${env().serverCount} messages`, { exact: false }));
        await env().screenshot('02-account-dialog-tested');
        await dialog.getByRole('group', { name: 'What Poplar does with this mailbox' }).scrollIntoViewIfNeeded();
        await env().screenshot('02b-account-dialog-policies');
      });
      await shows(accountSection(page, ACCOUNT));

      // The new account is checked at once: a preview of every message on the server.
      const list = messageList(page);
      expect(onServer().size).toBe(env().serverCount);
      await hasCount(stateIcon(list, 'Preview only'), env().serverCount);
      await hasText(statusBar(page), `${env().serverCount} messages`);
      await shows(messageRow(page, HOSTILE_SUBJECT));
      for (const m of env().plain) await shows(messageRow(page, m.subject));
      // Those previews were written by the store's own worker, off the window's thread (store/sync-writer.ts).
      expect(page.workers().map((w) => w.url()).filter((u) => u.includes('sync-worker'))).toHaveLength(1);
      expect(env().pageErrors).toEqual([]);
      await env().screenshot('03-previews-listed');

      await openMessage(page, first.subject);
      await shows(previewBar(page));
      await shows(readingPane(page).getByRole('heading', { name: first.subject }));
      expect(await readingPane(page).textContent()).not.toContain(first.tailLine);
      await env().screenshot('04-preview-open');

      await previewBar(page).getByRole('button', { name: 'Download now' }).click();
      await shows(stateIcon(messageRow(page, first.subject), 'Downloaded'));
      await isGone(previewBar(page));
      await shows(readingPane(page).getByText(first.tailLine).first());
      // "Until I delete it in Poplar": the server keeps its copy.
      expect(onServer().has(first.messageId)).toBe(true);
      // Shown for a second, it counts as read.
      await isGone(messageRow(page, first.subject).getByText(', unread'));
      await env().screenshot('05-downloaded-whole');
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'downloads two marked previews whole at the next Send/Receive (F9)',
    async () => {
      const { page } = env();
      const [a, b] = [mail(2), mail(3)];

      // One marked from the reading pane's preview bar, one from the list's context menu.
      await openMessage(page, a.subject);
      await previewBar(page).getByRole('button', { name: 'Mark to download', exact: true }).click();
      await shows(stateIcon(messageRow(page, a.subject), 'Marked to download'));
      await hasText(previewBar(page), 'Marked to download at the next Send/Receive.');

      await messageRow(page, b.subject).click({ button: 'right' });
      await page.getByRole('menu', { name: 'Message commands' }).getByRole('menuitem', { name: /^Mark to Download(?! a Copy)/ }).click();
      await shows(stateIcon(messageRow(page, b.subject), 'Marked to download'));
      // Marks alone fetch nothing.
      await hasCount(stateIcon(messageList(page), 'Downloaded'), 1);
      await env().screenshot('06-two-marked');

      await messageList(page).focus();
      await page.keyboard.press('F9');
      await shows(stateIcon(messageRow(page, a.subject), 'Downloaded'));
      await shows(stateIcon(messageRow(page, b.subject), 'Downloaded'));

      for (const m of [a, b]) {
        await openMessage(page, m.subject);
        await isGone(previewBar(page));
        await shows(readingPane(page).getByText(m.tailLine).first());
        expect(onServer().has(m.messageId)).toBe(true);
      }
      await env().screenshot('07-marked-downloaded');
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'deletes a preview for good from Deleted Items, and the next Send/Receive removes it from the server',
    async () => {
      const { page } = env();
      const doomed = mail(4);
      await openMessage(page, doomed.subject);
      await shows(previewBar(page));
      await toolbarButton(page, 'Delete').click();
      await isGone(messageRow(page, doomed.subject));

      await folderButton(page, ACCOUNT, 'Deleted Items').click();
      await eventually(() => messageList(page).getAttribute('aria-label')).toBe('Deleted Items');
      await openMessage(page, doomed.subject);
      await shows(stateIcon(messageRow(page, doomed.subject), 'Preview only'));
      await toolbarButton(page, 'Delete').click();
      const confirm = page.getByRole('dialog', { name: 'Delete permanently?' });
      await shows(confirm);
      await env().screenshot('08-confirm-delete-permanently');
      await confirm.getByRole('button', { name: 'Delete permanently' }).click();
      await isGone(confirm);
      await isGone(messageRow(page, doomed.subject));
      await shows(messageList(page).getByText('No messages here.'));
      // Gone from Poplar, still on the server until the next Send/Receive carries the deletion out.
      expect(onServer().has(doomed.messageId)).toBe(true);

      await toolbarButton(page, 'Send/Receive All').click();
      await eventually(() => onServer().has(doomed.messageId)).toBe(false);
      // Nothing else went: the downloaded ones stay on the server under "until deleted", and so do the previews.
      expect(onServer().size).toBe(env().serverCount - 1);

      await folderButton(page, ACCOUNT, 'Inbox').click();
      await eventually(() => messageList(page).getAttribute('aria-label')).toBe('Inbox');
      await isGone(messageRow(page, doomed.subject));
      await hasText(statusBar(page), `${env().serverCount - 1} messages`);
      await env().screenshot('09-deleted-from-server');
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'shows a hostile HTML mail without running it or calling home, until "Show images"',
    async () => {
      const { page, recorder } = env();
      await openMessage(page, HOSTILE_SUBJECT);
      await previewBar(page).getByRole('button', { name: 'Download now' }).click();
      await shows(stateIcon(messageRow(page, HOSTILE_SUBJECT), 'Downloaded'));

      const frame = messageFrame(page);
      await shows(frame.getByText(HOSTILE_BODY_TEXT));
      const blocked = readingPane(page).getByRole('status').filter({ hasText: 'Remote images are blocked' });
      await shows(blocked);
      // The frame's document carries no remote address at all before consent (so nothing can be on its way).
      const srcdoc = (await readingPane(page).locator('iframe').getAttribute('srcdoc')) ?? '';
      expect(srcdoc).toContain(HOSTILE_BODY_TEXT);
      expect(srcdoc).not.toContain(recorder.origin);
      expect(recorder.paths).toEqual([]);
      expect(foreignRequests()).toEqual([]);
      // No script of the mail ran: no marker on the window, none on the frame's body, no dialog.
      expect(await page.evaluate(`typeof window.top.${PWNED_MARKER}`)).toBe('undefined');
      await isGone(frame.locator('[data-pwned]'));
      expect(env().dialogs).toEqual([]);
      await env().screenshot('10-hostile-blocked');

      await blocked.getByRole('button', { name: 'Show images' }).click();
      await isGone(blocked);
      await eventually(() => recorder.paths).toContain(TRACKING_PIXEL);
      await shows(frame.getByText(HOSTILE_BODY_TEXT));
      // Only remote images and styles went out: no script, frame, refresh, form or beacon, before or after consent.
      expect(recorder.paths.filter((path) => !ALLOWED_AFTER_CONSENT.includes(path))).toEqual([]);
      expect(foreignRequests().length).toBeGreaterThan(0);
      expect(forbiddenRequests()).toEqual([]);
      expect(await page.evaluate(`typeof window.top.${PWNED_MARKER}`)).toBe('undefined');
      await isGone(frame.locator('[data-pwned]'));
      expect(env().dialogs).toEqual([]);
      expect(onServer().has(HOSTILE_MESSAGE_ID)).toBe(true);
      await env().screenshot('11-hostile-images-shown');
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'still reads downloaded mail and previews when the server is gone, and says it cannot be reached',
    async () => {
      const { page } = env();
      const [whole, preview] = [mail(1), mail(0)];
      await env().dovecot.stop();
      await page.reload();

      await shows(accountSection(page, ACCOUNT));
      const list = messageList(page);
      await hasCount(stateIcon(list, 'Downloaded'), 4);
      await hasCount(stateIcon(list, 'Preview only'), 1);

      await openMessage(page, whole.subject);
      await shows(readingPane(page).getByText(whole.tailLine).first());
      // The HTML mail was kept prepared for reading when it was first shown (renderer/reading/prepared.ts): after
      // the reload it opens from that view, made with remote content blocked, whatever was allowed before.
      expect(await storedPreparedViews(page)).toBeGreaterThan(0);
      // "Show images" held for the session only: after the reload the hostile mail is blocked again.
      await openMessage(page, HOSTILE_SUBJECT);
      await shows(messageFrame(page).getByText(HOSTILE_BODY_TEXT));
      await shows(readingPane(page).getByRole('status').filter({ hasText: 'Remote images are blocked' }));
      expect((await readingPane(page).locator('iframe').getAttribute('srcdoc')) ?? '').not.toContain(env().recorder.origin);
      await openMessage(page, preview.subject);
      await shows(previewBar(page));
      await shows(readingPane(page).getByRole('heading', { name: preview.subject }));

      const problem = accountSection(page, ACCOUNT).getByRole('alert');
      await isGone(problem);
      await toolbarButton(page, 'Send/Receive All').click();
      await hasText(problem, 'Could not connect to the server.');
      // Still nothing but the bridge and the remote content the user allowed, and no script ran along the way.
      expect(forbiddenRequests()).toEqual([]);
      expect(env().recorder.paths.filter((path) => !ALLOWED_AFTER_CONSENT.includes(path))).toEqual([]);
      expect(env().dialogs).toEqual([]);
      expect(env().pageErrors).toEqual([]);
      await env().screenshot('12-server-unreachable');
    },
    SCENARIO_TIMEOUT_MS,
  );
});
