import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '../../../app/mail/html.ts';

describe('decodeEntities', () => {
  it.each([
    ['&amp; &lt; &gt; &quot; &#39; &apos;', '& < > " \' \''],
    ['a&nbsp;b', 'a\u00a0b'],
    ['&#8212; &#x2014; &#X2014;', '— — —'],
    ['&#128512; &#x1F600;', '😀 😀'],
    ['&#150; &#x92;', '\u2013 \u2019'],
    ['&#0; &#xD800; &#x110000;', '\ufffd \ufffd \ufffd'],
    ['&amp &lt &copy', '& < ©'],
    ['&hellip &unknown; &ampx', '&hellip &unknown; &ampx'],
    ['AT&T and R&D', 'AT&T and R&D'],
    ['no references', 'no references'],
  ])('%j', (input, expected) => {
    expect(decodeEntities(input)).toBe(expected);
  });
});

describe('htmlToText', () => {
  const cases: readonly [name: string, html: string, expected: string][] = [
    ['tags dropped, paragraphs apart by a blank line', '<p>Hello <b>world</b></p><p>Second</p>', 'Hello world\n\nSecond'],
    ['other blocks end a line', '<div>one</div><div>two</div><ul><li>three</li><li>four</li></ul>after', 'one\ntwo\n\nthree\nfour\n\nafter'],
    ['two br make a blank line, more make no more', 'a<br><br>b<br><br><br><br>c<br>', 'a\n\nb\n\nc'],
    ['pre keeps its line breaks and spaces', '<p>x</p><pre>  a  b\n\n  c &amp; d\n</pre>y', 'x\n\n  a  b\n\n  c & d\n\ny'],
    ['br', 'one<br>two<BR/>three', 'one\ntwo\nthree'],
    ['script, style and title dropped with content', '<title>T</title><style>p{color:red}</style>A<script>var x="<p>no</p>";</script>B', 'AB'],
    ['upper-case raw text elements', '<SCRIPT>x</SCRIPT >A', 'A'],
    ['comments and conditional comments dropped', 'A<!-- hidden -->B<!--[if mso]><p>mso</p><![endif]-->C', 'ABC'],
    ['doctype and processing instructions dropped', '<!DOCTYPE html><?xml version="1.0"?>A', 'A'],
    ['blockquote lines are marked as quotes', 'Mine<blockquote>Theirs<br>More</blockquote>After', 'Mine\n\n> Theirs\n> More\n\nAfter'],
    ['nested blockquotes', '<blockquote><blockquote>deep</blockquote></blockquote>', '> deep'],
    ['">" inside a quoted attribute', '<a title="a > b" href=\'x>y\'>link</a>', 'link'],
    ['a "<" that starts no tag is text', 'a < b and 1<2', 'a < b and 1<2'],
    ['entities in text', 'Rates &amp; fees &#x2014; now', 'Rates & fees — now'],
    ['table cells', 'a<table><tr><td>Price</td><td>10</td></tr></table>b', 'a\n\nPrice\n10\n\nb'],
    ['an unclosed tag swallows the rest', 'A<p class="x', 'A'],
    ['an unclosed attribute quote ends at the next ">"', 'A<span class="x>B', 'AB'],
    ['an unclosed script swallows the rest', 'A<script>B', 'A'],
    ['an unclosed comment swallows the rest', 'A<!-- B', 'A'],
    ['white space collapses, and a line starts with its text', '  A \n\t B  ', 'A B '],
  ];
  it.each(cases)('%s', (_name, html, expected) => {
    expect(htmlToText(html)).toBe(expected);
  });

  it('never throws on hostile markup', () => {
    for (const hostile of ['<'.repeat(100_000), '<a b="'.repeat(20_000), '</script'.repeat(20_000), '<script>'.repeat(20_000), '&#'.repeat(50_000)]) {
      expect(() => htmlToText(hostile)).not.toThrow();
    }
  });
});
