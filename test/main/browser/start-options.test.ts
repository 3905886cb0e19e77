import { describe, expect, it } from 'vitest';
import {
  chromiumArgs,
  configDir,
  DEFAULT_START_PORT,
  findChromium,
  launcherHtml,
  parseStartArgs,
} from '../../../main/browser/start-options.ts';

const ENV = { env: {}, home: '/home/ann', defaultStaticDir: '/repo/dist/renderer' };

describe('the start command line', () => {
  it('defaults: a fixed port (the store belongs to the origin), the XDG config dir, no browser', () => {
    expect(parseStartArgs([], ENV)).toEqual({
      port: DEFAULT_START_PORT,
      open: false,
      dataDir: '/home/ann/.config/poplar',
      caFile: undefined,
      staticDir: '/repo/dist/renderer',
      newToken: false,
      debug: false,
      help: false,
    });
  });

  it('reads every option', () => {
    const options = parseStartArgs(
      ['--port', '0', '--open', '--data-dir', '/tmp/p', '--ca', 'ca.pem', '--static-dir', '/x', '--new-token', '--debug'],
      ENV,
    );
    expect(options).toMatchObject({ port: 0, open: true, dataDir: '/tmp/p', caFile: 'ca.pem', staticDir: '/x', newToken: true, debug: true });
  });

  it('refuses a bad port and unknown options', () => {
    expect(() => parseStartArgs(['--port', '70000'], ENV)).toThrow('--port');
    expect(() => parseStartArgs(['--port', '80a'], ENV)).toThrow('--port');
    expect(() => parseStartArgs(['--password', 'x'], ENV)).toThrow();
  });

  it('uses $XDG_CONFIG_HOME when it is absolute', () => {
    expect(configDir({ XDG_CONFIG_HOME: '/cfg' }, '/home/ann')).toBe('/cfg/poplar');
    expect(configDir({ XDG_CONFIG_HOME: 'relative' }, '/home/ann')).toBe('/home/ann/.config/poplar');
    expect(configDir({}, '/home/ann')).toBe('/home/ann/.config/poplar');
  });

  it('finds Chromium in order and opens an app window with a private profile', () => {
    expect(findChromium((f) => f === '/usr/bin/google-chrome' || f === '/usr/bin/chromium-browser')).toBe('/usr/bin/chromium-browser');
    expect(findChromium(() => false)).toBeUndefined();
    expect(chromiumArgs('http://127.0.0.1:1/?token=t', '/p/chromium')).toEqual([
      '--app=http://127.0.0.1:1/?token=t',
      '--user-data-dir=/p/chromium',
      '--no-first-run',
      '--no-default-browser-check',
    ]);
  });

  it('hands the tokened address to Chromium through a file, not its command line', () => {
    expect(launcherHtml('http://127.0.0.1:1/?token=t&x="<>')).toContain(
      '<meta http-equiv="refresh" content="0;url=http://127.0.0.1:1/?token=t&amp;x=&quot;&lt;&gt;">',
    );
  });
});
