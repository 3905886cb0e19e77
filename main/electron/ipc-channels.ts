/**
 * The Electron transport between the preload and the shell: five fixed IPC channels that carry the contract's
 * own channels (app/ipc/contract.ts) inside them. Nothing else is ever sent or handled.
 */
export const IPC = {
  /** window → main, awaited: (channel, payload) → Result. */
  invoke: 'poplar:invoke',
  /** main → window: (channel, payload). */
  event: 'poplar:event',
  /** main → window: (id, channel, payload), answered on `reply`. */
  request: 'poplar:request',
  /** window → main: (id, Result). */
  reply: 'poplar:reply',
  /** main → window: a menu command id. */
  command: 'poplar:command',
} as const;

/** The name of the one object the preload puts on `window`. */
export const EXPOSED_API_NAME = 'poplar';
