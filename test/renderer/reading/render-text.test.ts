import { describe, expect, it } from 'vitest';
import { escapeHtml, linkHref, linkify, textToHtml } from '../../../renderer/reading/render-text.ts';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });
});

describe('textToHtml', () => {
  it('escapes markup instead of rendering it', () => {
    expect(textToHtml('<script>alert(1)</script> & <img src=x onerror=alert(2)>')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;',
    );
  });

  it('keeps line breaks and white space as text (the container shows them)', () => {
    expect(textToHtml('a\n  b\r\n\tc')).toBe('a\n  b\r\n\tc');
  });

  it('links http, https and mailto URLs', () => {
    expect(textToHtml('See https://example.com/a?b=1&c=2 now')).toBe(
      'See <a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">https://example.com/a?b=1&amp;c=2</a> now',
    );
    expect(textToHtml('Write to mailto:bob@example.net.')).toBe(
      'Write to <a href="mailto:bob@example.net" rel="noopener noreferrer">mailto:bob@example.net</a>.',
    );
    expect(textToHtml('http://EXAMPLE.org')).toBe(
      '<a href="http://example.org/" rel="noopener noreferrer">http://EXAMPLE.org</a>',
    );
  });

  it('never links other schemes', () => {
    for (const text of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox',
      'file:///etc/passwd',
      'ftp://example.com/x',
      'cid:part1@example.com',
      'www.example.com',
    ]) {
      expect(textToHtml(text)).not.toContain('<a');
    }
  });

  it('cannot be tricked into an attribute or a tag by the URL itself', () => {
    const html = textToHtml('https://example.com/"onmouseover="alert(1) and https://example.com/<b>x</b>');
    expect(html).not.toMatch(/<(?!a |\/a>)/);
    expect(html).not.toContain('"onmouseover');
    expect(html).toBe(
      '<a href="https://example.com/" rel="noopener noreferrer">https://example.com/</a>&quot;onmouseover=&quot;alert(1) and ' +
        '<a href="https://example.com/" rel="noopener noreferrer">https://example.com/</a>&lt;b&gt;x&lt;/b&gt;',
    );
  });

  it('does not link a scheme inside a word', () => {
    expect(textToHtml('xhttps://example.com')).toBe('xhttps://example.com');
  });
});

describe('linkify', () => {
  const links = (text: string) =>
    linkify(text)
      .filter((s) => s.kind === 'link')
      .map((s) => s.text);

  it('gives the text back when the segments are joined', () => {
    const text = 'Hello (see https://example.com/a_(b)) and <mailto:x@y.org>, ok?';
    expect(
      linkify(text)
        .map((s) => s.text)
        .join(''),
    ).toBe(text);
  });

  it('leaves sentence punctuation and unbalanced brackets outside the link', () => {
    expect(links('Go to https://example.com/path.')).toEqual(['https://example.com/path']);
    expect(links('(https://example.com/a)')).toEqual(['https://example.com/a']);
    expect(links('https://en.wikipedia.org/wiki/Foo_(bar)')).toEqual(['https://en.wikipedia.org/wiki/Foo_(bar)']);
    expect(links('"https://example.com/q?x=1", said he')).toEqual(['https://example.com/q?x=1']);
    expect(links('<https://example.com/angle>')).toEqual(['https://example.com/angle']);
    expect(links("it's at https://example.com/it's!")).toEqual(["https://example.com/it's"]);
  });

  it('skips candidates that are not usable URLs', () => {
    expect(links('https:// and http://:80 and mailto: and https://')).toEqual([]);
  });
});

describe('linkHref', () => {
  it('normalizes the URL', () => {
    expect(linkHref('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(linkHref(' HTTPS://Example.COM ')).toBe('https://example.com/');
  });

  it('refuses anything but http(s) and mailto', () => {
    expect(linkHref('javascript:alert(1)')).toBeUndefined();
    expect(linkHref('java\nscript:alert(1)')).toBeUndefined();
    expect(linkHref('/relative')).toBeUndefined();
    expect(linkHref('data:text/html,x')).toBeUndefined();
  });
});
