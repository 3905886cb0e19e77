/**
 * The main window's options: every item of Electron's security checklist that lives in webPreferences. Pure, so
 * a test pins each flag.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsInput {
  /** Absolute path of the bundled preload script. */
  readonly preload: string;
  /** DevTools only in development builds. */
  readonly devTools: boolean;
}

export function mainWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: 'Poplar',
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    // Shown on ready-to-show, so the window never flashes empty.
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: input.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
      devTools: input.devTools,
    },
  };
}
