import { createRequire } from 'node:module';
import type { Config, DOMPurify } from 'dompurify';
import type { DOMWindow } from 'jsdom';

/**
 * SVG logo sanitiser in two steps on one parse (jsdom's DOMParser, XML mode):
 * 1. REFUSE, with a message the admin can act on, anything that could run code or load something
 *    from elsewhere (scripts, event handlers, foreignObject, animation, external href/url(), entity
 *    declarations): silently dropping it would leave a logo that differs from what they drew.
 * 2. Build the output with DOMPurify's SVG profile (the field's maintained sanitiser) rather than a
 *    hand-written allow-list; it also drops editor metadata. The served file carries a CSP that
 *    forbids scripts, so a gap in either step is not enough on its own to run code.
 */
/** Why a logo is refused: a key of the admin catalogue and its values, told in the admin's language. */
export interface Refusal {
  message: string;
  values?: Record<string, string>;
}

export type SvgCheck = { ok: true; svg: string } | ({ ok: false } & Refusal);

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * jsdom and DOMPurify are loaded on the first SVG, not at start-up: importing jsdom costs about half
 * a second, which every server start and test file would pay for a rare admin upload.
 */
const load = createRequire(import.meta.url);
let tools: { window: DOMWindow; purify: DOMPurify } | undefined;
function sanitiserTools(): { window: DOMWindow; purify: DOMPurify } {
  if (tools) return tools;
  const { JSDOM } = load('jsdom') as typeof import('jsdom');
  const createDOMPurify = load('dompurify') as typeof import('dompurify').default;
  const { window } = new JSDOM('');
  const purify = createDOMPurify(window);
  // Defence in depth: whatever the checks let through, a reference may only point inside the file.
  purify.addHook('uponSanitizeAttribute', (_node, data) => {
    if (data.attrName.replace(/^xlink:/, '') === 'href' && !data.attrValue.trim().startsWith('#'))
      data.keepAttr = false;
  });
  tools = { window, purify };
  return tools;
}
const PURIFY_CONFIG = {
  USE_PROFILES: { svg: true, svgFilters: true },
  ADD_TAGS: ['use'], // left out of the profile for its external references, which the hook removes
  ADD_ATTR: ['role'], // role="img" with aria-label names the logo; the profile keeps only aria-*
  FORBID_TAGS: ['foreignObject', 'metadata'],
  ALLOW_DATA_ATTR: false,
  RETURN_DOM: true as const,
} satisfies Config;

const refusal = (key: string): Refusal => ({ message: `admin.org.errors.${key}` });
const SCRIPT = refusal('svgScript');
const IMAGE = refusal('svgImage');
const ANIMATION = refusal('svgAnimation');
const REFUSED_ELEMENTS: Record<string, Refusal> = {
  script: SCRIPT,
  handler: SCRIPT,
  foreignobject: refusal('svgForeignObject'),
  iframe: refusal('svgIframe'),
  image: IMAGE,
  feimage: IMAGE,
  a: refusal('svgLink'),
  animate: ANIMATION,
  set: ANIMATION,
  animatetransform: ANIMATION,
  animatemotion: ANIMATION,
  animatecolor: ANIMATION,
  discard: ANIMATION,
};
const EXTERNAL = refusal('svgExternal');

/** Undoes CSS escapes (`u\72l(` is `url(`) so the checks below see what the browser sees. */
function cssUnescape(css: string): string {
  return css
    .replace(/\\([0-9a-f]{1,6})[ \t\n\r\f]?/gi, (_m, hex: string) =>
      String.fromCodePoint(Number.parseInt(hex, 16) || 0xfffd),
    )
    .replace(/\\(.)/gs, '$1');
}

/** Every url(...) in a value points inside the file (`url(#id)`), and there is no @import or script URL. */
function cssIsLocal(raw: string): boolean {
  const css = cssUnescape(raw);
  if (/@import|expression\s*\(|javascript:|behavior\s*:|-moz-binding/i.test(css)) return false;
  const urls = [...css.matchAll(/url\s*\(\s*(['"]?)([^'")]*)\1\s*\)/gi)].map((m) => m[2]!.trim());
  const bareUrls = (css.match(/url\s*\(/gi) ?? []).length;
  return urls.length === bareUrls && urls.every((u) => u.startsWith('#'));
}

/** Checks one element and its attributes; returns a refusal message, or null when it may stay. */
function checkElement(el: Element): Refusal | null {
  const refused = REFUSED_ELEMENTS[el.localName.toLowerCase()];
  if (refused) return refused;
  for (const { localName, value } of Array.from(el.attributes)) {
    if (/^on/i.test(localName))
      return { message: 'admin.org.errors.svgHandler', values: { handler: localName } };
    if (localName.toLowerCase() === 'href' && !value.trim().startsWith('#')) return EXTERNAL;
    if (/url\s*\(|@import|javascript:|\\/i.test(value) && !cssIsLocal(value)) return EXTERNAL;
  }
  if (el.localName.toLowerCase() === 'style' && !cssIsLocal(el.textContent ?? '')) return EXTERNAL;
  return null;
}

/** The first refusal message for the root or any element under it, or null. */
function firstRefusal(root: Element): Refusal | null {
  for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
    const refusal = checkElement(el);
    if (refusal) return refusal;
  }
  return null;
}

/** Parses the text as XML; the root `<svg>` element, or a refusal message. */
function parseSvg(window: DOMWindow, text: string): Element | Refusal {
  if (/<!ENTITY/i.test(text)) return refusal('svgEntities');
  const root = parseXmlRoot(window, text);
  // Hand-written files often leave out xmlns; declaring it puts every element in the SVG namespace.
  if (root?.localName === 'svg' && root.namespaceURI === null)
    return checkRoot(parseXmlRoot(window, text.replace(/<svg(?=[\s/>])/, `<svg xmlns="${SVG_NS}"`)));
  return checkRoot(root);
}

/** The document element of the text parsed as XML (a parse error gives a <parsererror> element). */
function parseXmlRoot(window: DOMWindow, text: string): Element | null {
  return new window.DOMParser().parseFromString(text.replace(/^\uFEFF/, ''), 'image/svg+xml').documentElement;
}

/** The root when it is a readable <svg> in the SVG namespace, else the message saying why not. */
function checkRoot(root: Element | null): Element | Refusal {
  if (!root || root.getElementsByTagName('parsererror').length > 0 || root.localName === 'parsererror')
    return refusal('svgUnreadable');
  if (root.localName !== 'svg') return refusal('svgNotSvg');
  if (root.namespaceURI !== SVG_NS)
    return { message: 'admin.org.errors.svgNamespace', values: { ns: SVG_NS } };
  return root;
}

/** CDATA sections (editors wrap `<style>` in them) become text: DOMPurify works in an HTML document. */
function cdataToText(window: DOMWindow, root: Element): void {
  const walker = root.ownerDocument.createTreeWalker(root, window.NodeFilter.SHOW_CDATA_SECTION);
  const sections: Node[] = [];
  while (walker.nextNode()) sections.push(walker.currentNode);
  for (const node of sections)
    node.parentNode?.replaceChild(root.ownerDocument.createTextNode(node.nodeValue ?? ''), node);
}

/** Sanitises an uploaded SVG logo, or says why it is refused. */
export function sanitiseSvgLogo(text: string): SvgCheck {
  const { window, purify } = sanitiserTools();
  const root = parseSvg(window, text);
  if (!('localName' in root)) return { ok: false, ...root };
  const refused = firstRefusal(root);
  if (refused) return { ok: false, ...refused };
  cdataToText(window, root);
  const clean = purify.sanitize(root, PURIFY_CONFIG).firstElementChild;
  if (clean?.localName !== 'svg') return { ok: false, message: 'admin.org.errors.svgUnreadable' };
  return { ok: true, svg: new window.XMLSerializer().serializeToString(clean) };
}
