/**
 * Mail HTML is untrusted (design brief, "Security shape"). This turns it into markup that can neither run code nor
 * reach the network, before it goes into the sandboxed frame (frame-document.ts) whose own CSP is the second wall:
 *
 * - DOMPurify with the HTML profile (no SVG, no MathML) removes scripts, event handlers and `javascript:` URLs;
 *   forms and their controls, media elements, `<base>`, `<meta>` (refresh), frames and plugins go too.
 * - Every URL that could be fetched is checked here, in one place: `src`, `srcset`, `background`, `<link>`, and
 *   `url()` in style attributes and `<style>` blocks. A remote one (http, https, or scheme-relative) is removed and
 *   counted until the user allows remote content; `cid:` becomes the inline part's `data:` URL; `data:` survives
 *   only as a raster image; anything else (relative, `file:`, `javascript:`) is removed.
 * - CSS is read with the browser's own parser (CSSOM), not with regular expressions: escapes such as `\75 rl(`,
 *   comments and odd spacing are resolved exactly as the frame would resolve them, and what is written back is
 *   the parser's canonical serialization.
 * - Links keep only http(s), mailto and in-document `#fragment` targets, and open outside the frame
 *   (`target=_blank`, `rel=noopener noreferrer`): the host catches the new window and validates the URL.
 *
 * The DOMPurify instance is created from the `Window` passed in, fresh for each call (its hooks close over this
 * call's options and counter), so nothing here reads a global: tests run it in a real browser page.
 */
import DOMPurify from 'dompurify';
import type { Config, UponSanitizeElementHookEvent } from 'dompurify';
import { cidKeyOfUrl } from './cid.ts';
import { linkHref } from './render-text.ts';

export interface SanitizeOptions {
  /** The user allowed remote content for this message or sender. */
  readonly allowRemote: boolean;
  /** Inline parts by Content-ID key (cid.ts), as `data:` URLs. */
  readonly cidMap: ReadonlyMap<string, string>;
}

export interface SanitizeResult {
  /** Markup for the frame's `<body>`: the mail's styles, then its body content in one wrapper element. */
  readonly html: string;
  /** Remote references removed because remote content is not allowed (0 when it is). */
  readonly blockedCount: number;
}

/** What the sanitizer needs of a window: a DOM, a CSS parser, and the CSSOM rule classes. */
export type SanitizerWindow = Window & typeof globalThis;

const FORBID_TAGS = [
  // Forms and their controls: nothing in a mail may submit or take input (phishing forms, `formaction`).
  'form', 'input', 'button', 'select', 'option', 'optgroup', 'textarea', 'datalist', 'output',
  // Media and embedded content: they fetch, play or navigate.
  'audio', 'video', 'source', 'track', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal',
  // Document-level instructions: a new base URL, refresh/redirect, an external manifest or stylesheet.
  'base', 'meta', 'title',
  // Scripting and templating surfaces.
  'script', 'noscript', 'template', 'slot',
];

const FORBID_ATTR = [
  'target', // set by this module on the links it keeps
  'ping', // a POST to any URL on click
  'download', 'crossorigin', 'integrity', 'nonce', 'srcdoc', 'formaction', 'action', 'method',
  // Invoker commands and popovers act without scripts.
  'popover', 'popovertarget', 'popovertargetaction', 'command', 'commandfor', 'autofocus',
];

/** Raster images only; base64 so the payload is plain. SVG is a document (see mime.ts). */
const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|bmp|avif);base64,[a-z0-9+/=\s]*$/i;

/** CSS functions that take a URL or a string that is one (`image-set("a.png" 1x)`, `src("a.png")`). */
const CSS_URL_FUNCTIONS = /(?:url|src|image-set|image|cross-fade|element)\(/i;
/** CSS functions that would bring a value from elsewhere (a custom property, an attribute), past these checks. */
const CSS_INDIRECT_FUNCTIONS = /(?:^|[^a-z0-9_-])(?:var|attr|env)\(/i;
const CSS_URL_TOKEN = /url\(\s*(?:"((?:[^"\\]|\\[\s\S])*)"|'((?:[^'\\]|\\[\s\S])*)'|([^)"'\s]*))\s*\)/gi;
const CSS_STRING = /"((?:[^"\\]|\\[\s\S])*)"|'((?:[^'\\]|\\[\s\S])*)'/g;

type UrlVerdict =
  | { readonly kind: 'keep'; readonly url: string }
  | { readonly kind: 'remote' }
  | { readonly kind: 'drop' };

const DROP: UrlVerdict = { kind: 'drop' };
const REMOTE: UrlVerdict = { kind: 'remote' };

/** What a style attribute's value became, and how many remote references it lost (see filterStyleAttribute). */
interface FilteredStyle {
  readonly text: string;
  readonly blocked: number;
}

interface Context {
  readonly win: SanitizerWindow;
  readonly options: SanitizeOptions;
  blocked: number;
  /** Style attribute values already filtered in this call, by their value as written. */
  readonly styles: Map<string, FilteredStyle>;
}

/** A URL that will be fetched as an image, a background or a stylesheet. */
function resourceUrl(raw: string, ctx: Context): UrlVerdict {
  // The URL parser drops tabs and newlines anywhere and spaces at the ends ("ht\ntp://"): so do we, first.
  const cleaned = raw.replace(/[\t\n\r]/g, '').trim();
  // Scheme-relative ("//host/x") resolves against the parent page in a srcdoc frame: treat it as https.
  const absolute = cleaned.startsWith('//') ? `https:${cleaned}` : cleaned;
  let url: URL;
  try {
    url = new URL(absolute);
  } catch {
    return DROP; // relative: it would resolve against the app's own origin
  }
  switch (url.protocol) {
    case 'http:':
    case 'https:':
      return ctx.options.allowRemote ? { kind: 'keep', url: url.href } : REMOTE;
    case 'data:':
      return SAFE_DATA_IMAGE.test(cleaned) ? { kind: 'keep', url: cleaned } : DROP;
    case 'cid:': {
      const key = cidKeyOfUrl(cleaned);
      const data = key === undefined ? undefined : ctx.options.cidMap.get(key);
      return data !== undefined && SAFE_DATA_IMAGE.test(data) ? { kind: 'keep', url: data } : DROP;
    }
    default:
      return DROP;
  }
}

/** Applies a verdict to a URL attribute: rewritten, or removed (and counted when it was remote). */
function applyToAttribute(el: Element, name: string, ctx: Context): void {
  const value = el.getAttribute(name);
  if (value === null) return;
  const verdict = resourceUrl(value, ctx);
  if (verdict.kind === 'keep') {
    el.setAttribute(name, verdict.url);
    return;
  }
  el.removeAttribute(name);
  if (verdict.kind === 'remote') ctx.blocked += 1;
}

/** `srcset` survives only when every candidate is an http(s) URL and remote content is allowed. */
function applyToSrcset(el: Element, ctx: Context): void {
  const value = el.getAttribute('srcset');
  if (value === null) return;
  const verdicts = value
    .split(',')
    .map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
    .filter((url) => url !== '')
    .map((url) => resourceUrl(url, ctx));
  if (verdicts.length > 0 && verdicts.every((v) => v.kind === 'keep' && /^https?:/i.test(v.url))) return;
  el.removeAttribute('srcset');
  if (verdicts.some((v) => v.kind === 'remote')) ctx.blocked += 1;
}

function unescapeCss(text: string): string {
  return text.replace(/\\(?:([0-9a-f]{1,6})\s?|(\n)|([\s\S]))/gi, (_m, hex: string | undefined, nl: string | undefined, ch: string | undefined) => {
    if (hex !== undefined) {
      const code = Number.parseInt(hex, 16);
      return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
    }
    return nl !== undefined ? '' : (ch ?? '');
  });
}

function quoteCssUrl(url: string): string {
  return `url("${url.replace(/["\\\n]/g, (ch) => (ch === '\n' ? '\\a ' : `\\${ch}`))}")`;
}

type CssVerdict = 'keep' | 'drop' | 'remote' | { readonly value: string };

/** One declaration's value, as the browser's CSS parser serialized it. */
function cssValue(name: string, value: string, ctx: Context): CssVerdict {
  // Custom properties are token soup, not parsed values (escapes stay escaped), and var()/attr() would bring
  // them, or an attribute, into a property after this check: mail has no need for either.
  if (name.startsWith('--') || CSS_INDIRECT_FUNCTIONS.test(value)) return 'drop';
  // A longhand reads as the empty string only while its value is pending substitution: it was set through a
  // shorthand holding var(), attr() or env() (CSS Variables §3.2), as in `background: var(--x, url(...))`, which
  // serializes as that shorthand with its fallback URL unchecked. It goes, and with all its longhands the shorthand.
  if (value === '') return 'drop';
  if (!CSS_URL_FUNCTIONS.test(value)) return 'keep';
  if (/(?:^|[^a-z0-9_-])element\(/i.test(value)) return 'drop';

  const verdicts: UrlVerdict[] = [];
  for (const match of value.matchAll(CSS_URL_TOKEN)) {
    verdicts.push(resourceUrl(unescapeCss(match[1] ?? match[2] ?? match[3] ?? ''), ctx));
  }
  // In image-set(), src(), image() and cross-fade() a bare string is a URL too.
  const withoutUrls = value.replace(CSS_URL_TOKEN, '');
  if (/(?:src|image-set|image|cross-fade)\(/i.test(withoutUrls)) {
    for (const match of withoutUrls.matchAll(CSS_STRING)) {
      verdicts.push(resourceUrl(unescapeCss(match[1] ?? match[2] ?? ''), ctx));
    }
  }
  if (verdicts.some((v) => v.kind === 'drop')) return 'drop';
  if (verdicts.some((v) => v.kind === 'remote')) return 'remote';
  let index = 0;
  const rewritten = value.replace(CSS_URL_TOKEN, (token) => {
    const verdict = verdicts[index];
    index += 1;
    return verdict?.kind === 'keep' ? quoteCssUrl(verdict.url) : token;
  });
  return rewritten === value ? 'keep' : { value: rewritten };
}

function filterDeclarations(style: CSSStyleDeclaration, ctx: Context): void {
  const names: string[] = [];
  for (let i = 0; i < style.length; i += 1) names.push(style.item(i));
  for (const name of names) {
    const verdict = cssValue(name, style.getPropertyValue(name), ctx);
    if (verdict === 'keep') continue;
    if (verdict === 'drop' || verdict === 'remote') {
      style.removeProperty(name);
      if (verdict === 'remote') ctx.blocked += 1;
      continue;
    }
    const priority = style.getPropertyPriority(name);
    style.removeProperty(name);
    style.setProperty(name, verdict.value, priority);
  }
}

function ruleStyle(rule: CSSRule, ctx: Context): CSSStyleDeclaration | undefined {
  const style = (rule as { readonly style?: unknown }).style;
  return style instanceof ctx.win.CSSStyleDeclaration ? style : undefined;
}

/** Walks a rule list from the end (deleting shifts later indexes) and cleans every declaration block in it. */
function filterRules(rules: CSSRuleList, remove: (index: number) => void, ctx: Context): void {
  for (let i = rules.length - 1; i >= 0; i -= 1) {
    const rule = rules[i];
    if (rule === undefined) continue;
    // Fonts never load (the frame's CSP has no font-src), and a registered property's initial value would
    // reach elements through var(), which is dropped: both rules go.
    if (rule instanceof ctx.win.CSSFontFaceRule || rule instanceof ctx.win.CSSPropertyRule) {
      remove(i);
      continue;
    }
    const style = ruleStyle(rule, ctx);
    if (style !== undefined) filterDeclarations(style, ctx);
    if (rule instanceof ctx.win.CSSKeyframesRule) {
      for (const frame of Array.from(rule.cssRules)) {
        const frameStyle = ruleStyle(frame, ctx);
        if (frameStyle !== undefined) filterDeclarations(frameStyle, ctx);
      }
    } else if (rule instanceof ctx.win.CSSGroupingRule) {
      filterRules(rule.cssRules, (j) => rule.deleteRule(j), ctx);
    }
  }
}

/**
 * A `<style>` block, parsed into a constructed (never applied) style sheet, cleaned, and serialized again.
 * `replaceSync` ignores `@import`, so remote style sheets imported from CSS never load, allowed or not.
 * A `<` before a letter, `/` or `!` is escaped so the text cannot close the `<style>` element it goes back into.
 */
function filterStyleSheet(css: string, ctx: Context): string {
  const sheet = new ctx.win.CSSStyleSheet();
  try {
    sheet.replaceSync(css);
  } catch {
    return '';
  }
  filterRules(sheet.cssRules, (i) => sheet.deleteRule(i), ctx);
  return Array.from(sheet.cssRules, (rule) => rule.cssText)
    .join('\n')
    .replace(/<(?=[/\w!?])/g, '\\3c ');
}

/**
 * A style attribute, through the CSSOM like a `<style>` block. Newsletters repeat the same few values on hundreds
 * of elements (the bench's 1 MB one: 663 style attributes, 7 distinct values), so each distinct value is parsed
 * and filtered once per call and the result written to every element that has it. That is the same result as
 * filtering each one: an HTML element's style attribute parses the same on every element of one document (the
 * document's mode is the only other input), and the remote references a value loses are counted again on each
 * element that carries it.
 */
function filterStyleAttribute(el: Element, ctx: Context): void {
  const raw = el.getAttribute('style');
  if (raw === null) return;
  const known = el instanceof ctx.win.HTMLElement ? ctx.styles.get(raw) : undefined;
  const filtered = known ?? filterInlineStyle(el, raw, ctx);
  if (filtered === undefined) {
    el.removeAttribute('style');
    return;
  }
  if (known !== undefined) ctx.blocked += known.blocked;
  if (filtered.text === '') el.removeAttribute('style');
  else if (filtered.text !== raw) el.setAttribute('style', filtered.text);
}

/** Filters an element's inline style in place; remembers the result for its value when the element is HTML. */
function filterInlineStyle(el: Element, raw: string, ctx: Context): FilteredStyle | undefined {
  const style = (el as Partial<ElementCSSInlineStyle>).style;
  if (!(style instanceof ctx.win.CSSStyleDeclaration)) return undefined;
  const before = ctx.blocked;
  filterDeclarations(style, ctx);
  const filtered: FilteredStyle = { text: style.cssText, blocked: ctx.blocked - before };
  if (el instanceof ctx.win.HTMLElement) ctx.styles.set(raw, filtered);
  return filtered;
}

function filterLink(el: Element): void {
  const href = el.getAttribute('href');
  if (href === null) return;
  if (href.trim().startsWith('#')) {
    // An in-document anchor: it stays in the frame, where it scrolls.
    return;
  }
  const safe = linkHref(href);
  if (safe === undefined) {
    el.removeAttribute('href');
    return;
  }
  el.setAttribute('href', safe);
  el.setAttribute('target', '_blank');
  el.setAttribute('rel', 'noopener noreferrer');
}

/** Before DOMPurify's own checks on an element: `<style>` text and `<link>` elements. */
function beforeElement(node: Node, event: UponSanitizeElementHookEvent, ctx: Context): void {
  if (!(node instanceof ctx.win.Element)) return;
  if (event.tagName === 'style') {
    node.textContent = filterStyleSheet(node.textContent, ctx);
    return;
  }
  if (event.tagName === 'link') {
    const rel = (node.getAttribute('rel') ?? '').toLowerCase().trim();
    const verdict = rel === 'stylesheet' ? resourceUrl(node.getAttribute('href') ?? '', ctx) : DROP;
    const remoteStylesheet = verdict.kind === 'keep' && /^https?:/i.test(verdict.url);
    if (remoteStylesheet) {
      node.setAttribute('href', verdict.url);
      return;
    }
    if (verdict.kind === 'remote') ctx.blocked += 1;
    // Preload, prefetch, dns-prefetch, icons...: nothing but a style sheet, and only a remote one, may stay.
    node.remove();
  }
}

/** After DOMPurify's checks on an element's attributes: every URL attribute and every style attribute. */
function afterAttributes(el: Element, ctx: Context): void {
  const tag = el.nodeName.toLowerCase();
  if (tag === 'a' || tag === 'area') filterLink(el);
  if (tag !== 'a' && tag !== 'area' && tag !== 'link') applyToAttribute(el, 'src', ctx);
  applyToAttribute(el, 'background', ctx);
  applyToAttribute(el, 'poster', ctx);
  applyToSrcset(el, ctx);
  filterStyleAttribute(el, ctx);
}

/**
 * The mail's `<body>` becomes a `<div>`: the frame has its own body. Its background colour, background image and
 * style go with it, as do `dir` and `lang` (from `<html>` when the body has none).
 */
function bodyWrapper(root: Element, ctx: Context): HTMLDivElement {
  const doc = root.ownerDocument;
  const body = root.querySelector('body');
  const wrapper = doc.createElement('div');
  wrapper.className = 'poplar-mail';
  if (body === null) return wrapper;
  const style = body.getAttribute('style');
  if (style !== null) wrapper.setAttribute('style', style);
  const bgcolor = body.getAttribute('bgcolor');
  if (bgcolor !== null && ctx.win.CSS.supports('background-color', bgcolor)) {
    wrapper.style.setProperty('background-color', bgcolor);
  }
  const background = body.getAttribute('background');
  if (background !== null) wrapper.style.setProperty('background-image', quoteCssUrl(background));
  for (const name of ['dir', 'lang']) {
    const value = body.getAttribute(name) ?? root.getAttribute(name);
    if (value !== null) wrapper.setAttribute(name, value);
  }
  while (body.firstChild !== null) wrapper.appendChild(body.firstChild);
  return wrapper;
}

export function sanitizeMailHtml(win: SanitizerWindow, html: string, options: SanitizeOptions): SanitizeResult {
  const ctx: Context = { win, options, blocked: 0, styles: new Map() };
  const purify = DOMPurify(win);
  purify.addHook('uponSanitizeElement', (node, event) => beforeElement(node, event, ctx));
  purify.addHook('afterSanitizeAttributes', (el) => afterAttributes(el, ctx));
  const config: Config & { RETURN_DOM: true } = {
    USE_PROFILES: { html: true },
    WHOLE_DOCUMENT: true,
    RETURN_DOM: true,
    FORBID_TAGS,
    FORBID_ATTR,
    ADD_TAGS: options.allowRemote ? ['link'] : [],
    ALLOW_DATA_ATTR: false,
  };
  const root = purify.sanitize(html, config);
  if (!(root instanceof win.Element)) return { html: '', blockedCount: ctx.blocked };
  // Styles and style sheets of the mail's <head> go first; the frame's <body> takes them as well as a <head>.
  const head = root.querySelector('head');
  const headStyles = head === null ? [] : Array.from(head.querySelectorAll('style, link'), (el) => el.outerHTML);
  return { html: headStyles.join('') + bodyWrapper(root, ctx).outerHTML, blockedCount: ctx.blocked };
}
