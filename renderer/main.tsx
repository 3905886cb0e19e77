/**
 * The page's entry point (renderer/index.html loads it): main's API from the bridge (Electron's preload, or the
 * browser bridge's WebSocket), then the window.
 */
import { getMainApi, onMenuCommand } from './bridge/index.ts';
import { startWindow } from './window/start.tsx';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
void startWindow(root, getMainApi(), { menu: onMenuCommand });
