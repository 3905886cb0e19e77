import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '../../../main/electron/window-options.ts';

describe('the main window options', () => {
  it('turn on every isolation flag of the Electron security checklist', () => {
    const options = mainWindowOptions({ preload: '/app/dist/main/electron/preload.cjs', devTools: false });
    expect(options.webPreferences).toEqual({
      preload: '/app/dist/main/electron/preload.cjs',
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
      devTools: false,
    });
    expect(options.show).toBe(false);
  });

  it('allow DevTools only when asked (development builds)', () => {
    expect(mainWindowOptions({ preload: '/p', devTools: true }).webPreferences?.devTools).toBe(true);
  });
});
