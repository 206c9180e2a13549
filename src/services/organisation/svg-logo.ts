import { type ChildNode, type Element, isTag } from 'domhandler';
import { DomUtils, ElementType, parseDocument } from 'htmlparser2';

/**
 * SVG logo sanitiser: parses the file as XML (htmlparser2), REFUSES anything that could run code or
 * load something from elsewhere (scripts, event handlers, foreignObject, external href/url(), entity
 * declarations) with a message the admin can act on, drops unknown elements and attributes
 * (editor metadata), and serialises only what it kept. The served file also carries a CSP that
 * forbids scripts, so a gap here is not enough on its own to run code.
 */
export type SvgCheck = { ok: true; svg: string } | { ok: false; message: string };

const ELEMENTS = new Set([
  'svg',
  'g',
  'defs',
  'title',
  'desc',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'textPath',
  'linearGradient',
  'radialGradient',
  'stop',
  'clipPath',
  'mask',
  'pattern',
  'use',
  'symbol',
  'style',
  'filter',
  'feGaussianBlur',
  'feOffset',
  'feBlend',
  'feColorMatrix',
  'feFlood',
  'feComposite',
  'feMerge',
  'feMergeNode',
  'marker',
]);
const ATTRIBUTES = new Set([
  'xmlns',
  'xmlns:xlink',
  'version',
  'id',
  'class',
  'style',
  'viewBox',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'x2',
  'y1',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'fx',
  'fy',
  'd',
  'points',
  'transform',
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-opacity',
  'opacity',
  'clip-path',
  'clip-rule',
  'mask',
  'filter',
  'offset',
  'stop-color',
  'stop-opacity',
  'gradientUnits',
  'gradientTransform',
  'spreadMethod',
  'patternUnits',
  'patternTransform',
  'preserveAspectRatio',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'letter-spacing',
  'dx',
  'dy',
  'role',
  'aria-label',
  'aria-hidden',
  'focusable',
  'xml:space',
  'href',
  'xlink:href',
  'stdDeviation',
  'in',
  'in2',
  'result',
  'mode',
  'values',
  'type',
  'operator',
  'flood-color',
  'flood-opacity',
  'markerWidth',
  'markerHeight',
  'refX',
  'refY',
  'orient',
  'markerUnits',
  'display',
  'visibility',
  'color',
]);
const REFUSED_ELEMENTS: Record<string, string> = {
  script: 'The SVG contains a script. Logos may not contain scripts: export it again without them.',
  foreignobject: 'The SVG contains a foreignObject (embedded HTML). Export the logo as plain shapes instead.',
  iframe: 'The SVG embeds another page. Export the logo as plain shapes instead.',
  image: 'The SVG embeds an image. Use a PNG logo or export the SVG as plain shapes.',
  a: 'The SVG contains a link. Logos may not link anywhere: remove the link.',
  animate: 'The SVG contains animation. Export a still logo.',
  set: 'The SVG contains animation. Export a still logo.',
  animatetransform: 'The SVG contains animation. Export a still logo.',
  handler: 'The SVG contains a script. Logos may not contain scripts: export it again without them.',
  feimage: 'The SVG embeds an image. Use a PNG logo or export the SVG as plain shapes.',
};

const EXTERNAL =
  'The SVG refers to something outside the file (an external link or url()). Logos must be self-contained: only references to #ids in the same file are allowed.';

/** Every url(...) in a value points inside the file (`url(#id)`), and there is no @import or script URL. */
function cssIsLocal(css: string): boolean {
  if (/@import|expression\s*\(|javascript:|behavior\s*:|-moz-binding/i.test(css)) return false;
  const urls = [...css.matchAll(/url\s*\(\s*(['"]?)([^'")]*)\1\s*\)/gi)].map((m) => m[2]!.trim());
  const bareUrls = (css.match(/url\s*\(/gi) ?? []).length;
  return urls.length === bareUrls && urls.every((u) => u.startsWith('#'));
}

/** Checks one element and its attributes; returns a refusal message, or null when it may stay. */
function checkElement(el: Element): string | null {
  const refused = REFUSED_ELEMENTS[el.name.toLowerCase()];
  if (refused) return refused;
  for (const [name, value] of Object.entries(el.attribs) as Array<[string, string]>) {
    if (/^on/i.test(name))
      return `The SVG has an event handler (${name}). Logos may not contain scripts: remove it.`;
    if (/^(xlink:)?href$/i.test(name) && !value.trim().startsWith('#')) return EXTERNAL;
    if (/url\s*\(|@import|javascript:/i.test(value) && !cssIsLocal(value)) return EXTERNAL;
  }
  if (el.name === 'style' && !cssIsLocal(DomUtils.textContent(el))) return EXTERNAL;
  return null;
}

/** Walks the tree: refuses (returns a message) or prunes in place what is not on the allowlists. */
function sanitiseChildren(parent: { children: ChildNode[] }): string | null {
  for (const node of [...parent.children]) {
    if (node.type === ElementType.Directive || node.type === ElementType.Comment) {
      DomUtils.removeElement(node);
      continue;
    }
    if (node.type === ElementType.Text || node.type === ElementType.CDATA) continue;
    if (!isTag(node)) {
      DomUtils.removeElement(node);
      continue;
    }
    const refusal = checkElement(node);
    if (refusal) return refusal;
    if (!ELEMENTS.has(node.name)) {
      DomUtils.removeElement(node); // editor metadata such as <metadata> or <sodipodi:namedview>
      continue;
    }
    for (const name of Object.keys(node.attribs)) if (!ATTRIBUTES.has(name)) delete node.attribs[name];
    const inner = sanitiseChildren(node);
    if (inner) return inner;
  }
  return null;
}

/** Sanitises an uploaded SVG logo, or says why it is refused. */
export function sanitiseSvgLogo(text: string): SvgCheck {
  if (/<!ENTITY/i.test(text))
    return { ok: false, message: 'The SVG declares entities. Export it again as plain SVG.' };
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text.replace(/^\uFEFF/, ''), { xmlMode: true, recognizeCDATA: true });
  } catch {
    return { ok: false, message: 'The SVG file could not be read.' };
  }
  const roots = doc.children.filter(isTag);
  if (roots.length !== 1 || roots[0]!.name !== 'svg')
    return { ok: false, message: 'The file is not an SVG image (its top element must be <svg>).' };
  const refusal = sanitiseChildren(doc);
  if (refusal) return { ok: false, message: refusal };
  const svg = roots[0]!;
  svg.attribs.xmlns = 'http://www.w3.org/2000/svg';
  return { ok: true, svg: DomUtils.getOuterHTML(svg, { xmlMode: true }) };
}
