/**
 * New-mail notices through the Web Notification API (Electron shows them as system notifications). Permission
 * is asked once, on the user's first click or key in the window: browsers ignore a request made without one.
 */
import type { NewMailNotifier } from '../sync-host.ts';

export function browserNotifier(): NewMailNotifier {
  const supported = typeof Notification !== 'undefined';
  if (supported && Notification.permission === 'default') {
    const ask = () => {
      window.removeEventListener('pointerdown', ask, true);
      window.removeEventListener('keydown', ask, true);
      // The answer is the browser's to keep; a refusal simply means no notices.
      Notification.requestPermission().catch(() => undefined);
    };
    window.addEventListener('pointerdown', ask, true);
    window.addEventListener('keydown', ask, true);
  }
  return {
    isHidden: () => document.visibilityState === 'hidden',
    notify(title, body) {
      if (!supported || Notification.permission !== 'granted') return;
      const notice = new Notification(title, { body, tag: 'poplar-new-mail' });
      notice.onclick = () => {
        window.focus();
        notice.close();
      };
    },
  };
}
