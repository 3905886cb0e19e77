/**
 * The renderer's public surface: how the window starts, and the pieces other code (the end-to-end tests, a
 * worker) may reach without going through the DOM.
 */
export { startWindow } from './window/start.tsx';
export { startSyncHost, type NewMailNotifier, type SyncHost, type SyncHostOptions } from './sync-host.ts';
export { createCommandRegistry, type CommandContext, type CommandRegistry } from './commands/registry.ts';
export { createSyncStatusModel, type SyncSnapshot, type SyncStatusModel } from './window/sync-status.ts';
