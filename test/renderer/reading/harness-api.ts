/**
 * What the browser harness page (browser/harness.tsx) offers the Playwright tests (sanitize.browser.test.ts), as
 * `globalThis.poplarHarness`. Plain data only: this file is compiled both for Node and for the page.
 */

/**
 * A prepared view as plain data: the same shape as renderer/reading/prepared.ts's PreparedView (the harness page
 * checks that they are the same type), written out here because this file is compiled for Node too, where
 * prepared.ts (it needs the DOM) is not.
 */
export interface PreparedViewData {
  readonly headers: {
    readonly parsed: boolean;
    readonly from: readonly { readonly name: string; readonly address: string }[];
    readonly to: readonly { readonly name: string; readonly address: string }[];
    readonly cc: readonly { readonly name: string; readonly address: string }[];
    readonly subject: string;
    readonly date: number | undefined;
    readonly dateText: string | undefined;
  };
  readonly attachments: readonly { readonly index: number; readonly filename: string; readonly mimeType: string; readonly size: number }[];
  readonly notes: readonly string[];
  readonly document: string;
  readonly blockedCount: number;
  readonly text: string | undefined;
}

/** A call of the prepared view store's `save`. */
export interface SavedView {
  readonly key: string;
  readonly view: PreparedViewData;
}

export interface PaneSpec {
  /** The raw RFC 5322 source of the message; `loadBody` returns its bytes. */
  readonly raw: string;
  readonly content: 'whole' | 'preview';
  readonly remoteAllowed: boolean;
  readonly onServer?: boolean;
  readonly mark?: 'none' | 'download' | 'download-copy';
  readonly previewText?: string;
  /** The record's first lines (MessagePreview.firstLines); absent as in a record stored before them. */
  readonly firstLines?: string;
  readonly sizeOnServer?: number;
  /** `loadBody` rejects with this message instead of returning the bytes. */
  readonly loadError?: string;
  /** `loadBody` settles after this long. */
  readonly delayMs?: number;
  /** A record that breaks the pane's rendering (its subject is not a string), to reach the error boundary. */
  readonly brokenRecord?: boolean;
  /**
   * Gives the pane a prepared view store (in memory, its saves recorded in `events().saves`), holding this view
   * for the message if one is given.
   */
  readonly prepared?: { readonly view?: PreparedViewData };
  /** `loadBody` waits for `releaseBody()` (then settles as the rest of the spec says). */
  readonly holdBody?: boolean;
}

export interface HarnessEvents {
  /** Messages posted to the page by any frame (a hostile script's "I ran"). */
  readonly messages: readonly string[];
  /** URLs given to the pane's onOpenLink. */
  readonly openedLinks: readonly string[];
  /** Calls of the pane's other callbacks, by name. */
  readonly calls: readonly string[];
  /** Calls of the prepared view store's `save`, in order. */
  readonly saves: readonly SavedView[];
  /** Object URLs created and revoked on the page. */
  readonly createdUrls: number;
  readonly revokedUrls: number;
}

/** What a sanitized body holds, read back with the browser's parser. */
export interface Inspection {
  /** Every element name, once each, sorted. */
  readonly tags: readonly string[];
  /** Every attribute whose name starts with "on". */
  readonly handlers: readonly string[];
  readonly links: readonly {
    readonly id: string;
    readonly href: string | null;
    readonly target: string | null;
    readonly rel: string | null;
    readonly ping: string | null;
  }[];
  readonly imgs: readonly { readonly id: string; readonly src: string | null; readonly srcset: string | null }[];
  /** The text of every <style>, joined. */
  readonly css: string;
  /** The style attribute of every element with an id. */
  readonly styles: readonly { readonly id: string; readonly style: string | null }[];
}

export interface HarnessApi {
  /** Parses sanitized markup as a body and reports what is in it. */
  inspect(html: string): Inspection;
  sanitize(html: string, allowRemote: boolean, cid: Readonly<Record<string, string>>): { html: string; blockedCount: number };
  frameDocument(sanitizedBody: string, allowRemote: boolean): string;
  /** Adds an iframe with this srcdoc and sandbox (null: no sandbox) and resolves when it has loaded. */
  showFrame(srcdoc: string, sandbox: string | null): Promise<void>;
  /** Mounts the reading pane (replacing any before) and resolves once it has rendered. */
  mountPane(spec: PaneSpec): Promise<void>;
  /** Selects another message in the mounted pane: the same pane, new props (as the container does). */
  select(spec: PaneSpec): void;
  /**
   * Renders the mounted message again with remote content allowed or not (as the container does when the setting
   * changes), and returns the `srcdoc` of every message frame right after that render, before any effect runs.
   */
  setRemoteAllowed(allowed: boolean): readonly string[];
  /** Lets every `loadBody` held back by `holdBody` go on. */
  releaseBody(): void;
  /** The key of the message the pane shows. */
  shownKey(): string;
  /** Parses the message (as the pane does) and prepares its view (prepared.ts's prepareView). */
  prepareView(raw: string): Promise<PreparedViewData | undefined>;
  /** prepared.ts's asPreparedView, on the value as given or on its structuredClone. */
  asPreparedView(value: unknown, clone: boolean): PreparedViewData | undefined;
  /** Removes every frame and the pane. */
  reset(): void;
  events(): HarnessEvents;
}

export interface HarnessGlobal {
  readonly poplarHarness: HarnessApi;
}
