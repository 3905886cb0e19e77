/**
 * The preload of the main window: runs sandboxed, before the page, in an isolated world, and exposes one object,
 * `window.poplar` (preload-api.ts). Sandboxed preloads cannot load modules of their own, so the build bundles
 * this file into one CommonJS script with `electron` left external.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { EXPOSED_API_NAME } from './ipc-channels.ts';
import { createPreloadApi } from './preload-api.ts';

contextBridge.exposeInMainWorld(EXPOSED_API_NAME, createPreloadApi(ipcRenderer));
