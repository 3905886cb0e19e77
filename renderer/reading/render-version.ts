/**
 * The version of what a prepared view (prepared.ts) is made by: the MIME parser, the sanitizer, the frame's
 * document and the libraries under them. The window's build (vite.config.ts) sets it to a hash of those sources and
 * of the library versions, so any change to them, a security fix of the sanitizer above all, makes every stored
 * view stale: it is never shown, and is made again. Where the code runs unbuilt (the Node tests, a test harness),
 * it is 'unversioned'.
 */
declare const __POPLAR_RENDER_VERSION__: string | undefined;

export const RENDER_VERSION: string =
  typeof __POPLAR_RENDER_VERSION__ === 'string' ? __POPLAR_RENDER_VERSION__ : 'unversioned';

/**
 * The files whose text goes into the hash, relative to the repository (vite.config.ts reads them). Every module
 * that takes part in making a prepared view must be here: test/renderer/reading/render-version.test.ts checks the
 * imports of prepared.ts against this list.
 */
export const RENDER_VERSION_SOURCES: readonly string[] = [
  'renderer/reading/prepared.ts',
  'renderer/reading/sanitize.ts',
  'renderer/reading/frame-document.ts',
  'renderer/reading/mime-parse.ts',
  'renderer/reading/memory-blob.ts',
  'renderer/reading/cid.ts',
  'renderer/reading/render-text.ts',
  'renderer/reading/format.ts',
];

/** The libraries whose installed version goes into the hash. */
export const RENDER_VERSION_PACKAGES: readonly string[] = ['dompurify', 'postal-mime'];
