import { describe, expect, it } from 'vitest';
import { accountId } from '../../../app/ids.ts';
import { WindowPort, type WindowLink } from '../../../main/browser/window-port.ts';

function port(connected = true): { port: WindowPort; sent: unknown[][] } {
  const sent: unknown[][] = [];
  const link: WindowLink = {
    sendEvent: (channel, payload) => void sent.push(['event', channel, payload]),
    sendRequest: (id, channel, payload) => {
      if (!connected) return false;
      sent.push(['request', id, channel, payload]);
      return true;
    },
  };
  return { port: new WindowPort(link, { timeoutMs: 1000 }), sent };
}

describe('the window port', () => {
  it('matches answers by id; late and unknown answers are ignored', async () => {
    const { port: p, sent } = port();
    const one = p.request('store:load-sync-state', { accountId: accountId('a') });
    const two = p.request('store:load-sync-state', { accountId: accountId('b') });
    const [, firstId] = sent[0] ?? [];
    const [, secondId] = sent[1] ?? [];
    expect(p.settle(secondId, { ok: true, value: 'two' })).toBe(true);
    expect(p.settle(firstId, { ok: true, value: 'one' })).toBe(true);
    expect(p.settle(firstId, { ok: true, value: 'again' })).toBe(false);
    expect(p.settle(12345, { ok: true, value: 'nobody' })).toBe(false);
    expect(p.settle('1', { ok: true, value: 'not a number id' })).toBe(false);
    await expect(one).resolves.toBe('one');
    await expect(two).resolves.toBe('two');
    expect(p.pending).toBe(0);
  });

  it('fails a request answered with something that is not a result, and maps unknown codes to STORE_FAILED', async () => {
    const { port: p, sent } = port();
    const malformed = p.request('store:load-sync-state', { accountId: accountId('a') });
    p.settle(sent[0]?.[1], { ok: 'yes' });
    await expect(malformed).rejects.toMatchObject({ code: 'STORE_FAILED' });
    const odd = p.request('store:load-sync-state', { accountId: accountId('a') });
    p.settle(sent[1]?.[1], { ok: false, error: { code: 'BUG', message: 'TypeError: x is undefined' } });
    await expect(odd).rejects.toMatchObject({ code: 'STORE_FAILED', message: 'TypeError: x is undefined' });
  });

  it('fails at once without a window', async () => {
    const { port: p } = port(false);
    await expect(p.request('store:load-sync-state', { accountId: accountId('a') })).rejects.toMatchObject({ code: 'STORE_FAILED' });
    expect(p.pending).toBe(0);
  });
});
