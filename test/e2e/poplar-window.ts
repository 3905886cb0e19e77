/**
 * The window as the user sees it, for the end-to-end tests: every locator goes by role, label or visible text,
 * the way a screen reader or a person finds things. The test project has no DOM types, so nothing here runs
 * page-side code beyond Playwright's own locators.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';

/** What the account dialog is filled with. */
export interface AccountInput {
  readonly name: string;
  readonly email: string;
  readonly host: string;
  readonly port: number;
  /** The Security select's visible label. */
  readonly security: 'STARTTLS' | 'SSL/TLS';
  readonly user: string;
  readonly password: string;
  readonly previewLines: number;
}

export function toolbar(page: Page): Locator {
  return page.getByRole('toolbar', { name: 'Commands' });
}

export function toolbarButton(page: Page, text: string): Locator {
  return toolbar(page).getByRole('button', { name: text, exact: true });
}

export function folders(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Folders' });
}

/** The account's part of the folder pane: its name, status line, Inbox and Deleted Items. */
export function accountSection(page: Page, accountName: string): Locator {
  return folders(page).getByRole('region', { name: accountName, exact: true });
}

export function folderButton(page: Page, accountName: string, folder: 'Inbox' | 'Deleted Items'): Locator {
  // The button's name may end with its unread badge ("Inbox 3 unread").
  return accountSection(page, accountName).getByRole('button', { name: new RegExp(`^${folder}\\b`) });
}

export function messageList(page: Page): Locator {
  return page.getByRole('grid');
}

/** The list's row of the message with this subject (the harness makes sure subjects do not overlap). */
export function messageRow(page: Page, subject: string): Locator {
  return messageList(page).getByRole('row').filter({ hasText: subject });
}

/** A row's state icon with this name: 'Preview only', 'Marked to download', 'Downloaded', … */
export function stateIcon(scope: Locator, state: string): Locator {
  return scope.getByRole('img', { name: state, exact: true });
}

export function readingPane(page: Page): Locator {
  return page.getByRole('region', { name: 'Reading pane' });
}

/** The bar a preview shows: "Only the beginning of this message has been downloaded…" and its commands. */
export function previewBar(page: Page): Locator {
  return readingPane(page).getByRole('status').filter({ hasText: 'Only the beginning of this message' });
}

/** The sandboxed frame an HTML body is shown in. */
export function messageFrame(page: Page): FrameLocator {
  return readingPane(page).frameLocator('iframe[title="Message body"]');
}

export function statusBar(page: Page): Locator {
  return page.getByRole('contentinfo');
}

/** Fills the Add account dialog, tests the settings, and saves. Returns once the dialog has closed. */
export async function addAccount(page: Page, input: AccountInput, onTested?: () => Promise<void>): Promise<void> {
  await folders(page).getByRole('button', { name: 'Add account…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add account' });
  await dialog.getByLabel('Name', { exact: true }).fill(input.name);
  await dialog.getByLabel('Email address').fill(input.email);
  await dialog.getByLabel('POP3 server').fill(input.host);
  // Security first: choosing it moves a default port along (995 / 110).
  await dialog.getByLabel('Security').selectOption({ label: input.security });
  await dialog.getByLabel('Port').fill(String(input.port));
  await dialog.getByLabel('User name').fill(input.user);
  await dialog.getByLabel('Password').fill(input.password);
  await dialog.getByRole('radio', { name: /^Previews: the headers/ }).check();
  await dialog.getByLabel('Lines of preview').fill(String(input.previewLines));
  await dialog.getByRole('radio', { name: /until I delete it in Poplar/ }).check();

  await dialog.getByRole('button', { name: 'Test account settings' }).click();
  const report = dialog.getByRole('region', { name: 'Test account settings' });
  await report.getByText(/^works, with /).waitFor();
  await onTested?.();

  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Selects a message by clicking its row (one selected message is what the reading pane shows). */
export async function openMessage(page: Page, subject: string): Promise<void> {
  await messageRow(page, subject).click();
}

/**
 * How many prepared views (renderer/reading/prepared.ts; store version 3) the window's store holds with something
 * to show, read with a connection of the test's own in the page.
 */
export function storedPreparedViews(page: Page): Promise<number> {
  // A string: the test project has no DOM types.
  return page.evaluate<number>(`new Promise((resolve, reject) => {
    const open = indexedDB.open('poplar');
    open.onerror = () => reject(new Error('the store did not open'));
    open.onsuccess = () => {
      const db = open.result;
      const all = db.transaction('prepared', 'readonly').objectStore('prepared').getAll();
      all.onsuccess = () => {
        db.close();
        resolve(all.result.filter((record) => record.view !== null).length);
      };
      all.onerror = () => {
        db.close();
        reject(new Error('the prepared views could not be read'));
      };
    };
  })`);
}
