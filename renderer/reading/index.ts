/**
 * The reading pane: a self-contained module the window's layout mounts. See README.md in this folder.
 */
export { ReadingPane } from './ReadingPane.tsx';
export type { ReadingPaneProps } from './ReadingPane.tsx';
export { prefetchParse } from './mime.ts';
export { asPreparedView, prepareView } from './prepared.ts';
export type { PreparedView, PreparedViews } from './prepared.ts';
