/**
 * A hostile HTML mail for the browser tests. Every URL points at one loopback server the test runs, so any request
 * that leaves the page is seen there:
 * - `${origin}/remote/...`: remote images and a style sheet, which may load only once the user allows remote content;
 * - `${origin}/beacon/...`: what must never load, allowed or not (scripts, frames, refresh, fonts, prefetch...).
 * Scripts and handlers that run post a message to the page (`ran:<what>`) and request a beacon.
 */

/** A 1x1 PNG. */
export const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** The paths under /remote/ that the hostile HTML refers to: what "Show images" may load. */
export const REMOTE_PATHS = [
  '/remote/pixel.png',
  '/remote/scheme-relative.png',
  '/remote/srcset.png',
  '/remote/table-background.png',
  '/remote/td-style.png',
  '/remote/style-block.png',
  '/remote/escaped-url.png',
  '/remote/image-set.png',
  '/remote/style.css',
] as const;

export function hostileHtml(origin: string): string {
  const host = origin.replace(/^https?:/, '');
  const ran = (what: string): string =>
    `parent.postMessage('ran:${what}','*');new Image().src='${origin}/beacon/ran-${what}'`;
  return `<!DOCTYPE html>
<html manifest="${origin}/beacon/manifest">
<head>
<meta http-equiv="refresh" content="0;url=${origin}/beacon/refresh">
<base href="${origin}/beacon/base/">
<title>hostile</title>
<link rel="stylesheet" href="${origin}/remote/style.css">
<link rel="prefetch" href="${origin}/beacon/prefetch">
<link rel="preload" as="image" href="${origin}/beacon/preload.png">
<link rel="icon" href="${origin}/beacon/favicon.ico">
<style>
  @import url("${origin}/beacon/import.css");
  @font-face { font-family: evil; src: url(${origin}/beacon/font.woff); }
  .styled { color: rgb(4, 5, 6); font-family: evil; }
  .block { background-image: url("${origin}/remote/style-block.png"); }
  .escaped { background: \\75 rl(${origin}/remote/escaped-url.png); }
  .set { background-image: image-set("${origin}/remote/image-set.png" 1x); }
  .vars { --evil: url(${origin}/beacon/custom-property.png); background-image: var(--evil); }
  .var-shorthand { background: var(--undefined, url(${origin}/beacon/var-fallback-rule.png)) no-repeat; }
  .attr { background-image: attr(data-x url); }
  .relative { background-image: url(relative-css.png); }
  .cid-bg { background-image: url(cid:logo@example.com); }
</style>
<script>${ran('head-script')}</script>
</head>
<body onload="${ran('body-onload')}">
<script>${ran('script')}</script>
<script src="${origin}/beacon/external.js"></script>
<p id="text">Hello <b>reader</b></p>
<img id="pixel" src="${origin}/remote/pixel.png" width="1" height="1" alt="">
<img id="scheme-relative" src="${host}/remote/scheme-relative.png" alt="">
<img id="srcset" srcset="${origin}/remote/srcset.png 2x" alt="">
<img id="relative" src="/relative.png" alt="relative">
<img id="cid" src="cid:logo@example.com" alt="logo">
<img id="onerror" src="x:broken" onerror="${ran('onerror')}" alt="">
<img id="data-svg" src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" alt="">
<svg onload="${ran('svg-onload')}"><image href="${origin}/beacon/svg-image.png"></image></svg>
<math><mtext><table><mglyph><style><img src=x onerror="${ran('mxss')}"></style></mglyph></table></mtext></math>
<noscript><p title="</noscript><img src=x onerror=&quot;${ran('noscript')}&quot;>"></p></noscript>
<iframe src="${origin}/beacon/iframe"></iframe>
<iframe srcdoc="<script>parent.parent.postMessage('ran:nested-srcdoc','*')</script>"></iframe>
<object data="${origin}/beacon/object"></object>
<embed src="${origin}/beacon/embed">
<video poster="${origin}/beacon/poster.png" src="${origin}/beacon/video.mp4" autoplay></video>
<audio src="${origin}/beacon/audio.mp3" autoplay></audio>
<form action="${origin}/beacon/form"><input name="q" value="x" autofocus onfocus="${ran('onfocus')}"><button>Go</button></form>
<input type="image" src="${origin}/beacon/input-image.png">
<table background="${origin}/remote/table-background.png"><tr>
<td style="background: url('${origin}/remote/td-style.png') no-repeat; color: rgb(1, 2, 3)" id="td">cell</td>
</tr></table>
<p id="styled" class="styled">styled</p>
<div class="block">block</div><div class="escaped">escaped</div><div class="set">set</div>
<div class="vars">vars</div><div class="attr" data-x="${origin}/beacon/attr.png">attr</div>
<div class="var-shorthand">var in a shorthand</div>
<div id="var-style" style="background: var(--undefined, url(${origin}/beacon/var-fallback-style.png)); padding: var(--undefined, 3px)">var in a style attribute</div>
<div class="relative">relative</div><div class="cid-bg" id="cid-bg">cid background</div>
<details open ontoggle="${ran('ontoggle')}"><summary>more</summary>details</details>
<a id="js" href="javascript:${ran('javascript-link')}">js</a>
<a id="js-entity" href="jav&#x09;ascript:${ran('javascript-entity')}">js2</a>
<a id="data-link" href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">data</a>
<a id="external" href="https://example.com/page?x=1" target="_self" ping="${origin}/beacon/ping">external</a>
<a id="mail" href="mailto:bob@example.com">mail</a>
<a id="fragment" href="#text">fragment</a>
<a id="relative-link" href="relative/page">relative</a>
</body>
</html>`;
}

/** The hostile HTML as a multipart/related message, with the inline image it refers to. */
export function hostileMessage(origin: string): string {
  return [
    'From: =?UTF-8?Q?Mallory_=E2=9C=93?= <mallory@example.com>',
    'To: victim@example.org',
    'Subject: =?UTF-8?B?SG9zdGlsZSDinJM=?=',
    'Date: Fri, 21 Nov 2025 15:03:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="rel"',
    '',
    '--rel',
    'Content-Type: text/html; charset=utf-8',
    '',
    hostileHtml(origin),
    '--rel',
    'Content-Type: image/png',
    'Content-ID: <logo@example.com>',
    'Content-Transfer-Encoding: base64',
    '',
    PNG_BASE64,
    '--rel--',
    '',
  ].join('\r\n');
}
