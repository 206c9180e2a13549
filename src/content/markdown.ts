import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Lesson Markdown → safe HTML, done once at load. Authors may use a little inline HTML (e.g.
 * <kbd>, <details>), so markdown-it passes HTML through and sanitize-html is the real gate: a strict
 * allow-list of tags and attributes, and only http, https and mailto links. Anything else
 * (script, style, iframe, event handlers, javascript: URLs, images) is dropped.
 */

const markdown = new MarkdownIt({ html: true, linkify: true, typographer: true });
// markdown-it would leave a `[text](javascript:…)` link as literal source text. Let every link
// through instead: sanitize-html below drops any href that isn't http, https or mailto, so the
// reader sees just the link text, and one place decides what a safe URL is.
markdown.validateLink = () => true;

// The lesson page owns the h1, so the highest heading in a lesson becomes h2 and the rest follow.
markdown.core.ruler.push('shift_headings', (state) => {
  const headings = state.tokens.filter((t) => t.type === 'heading_open' || t.type === 'heading_close');
  const levels = headings.map((t) => Number(t.tag.slice(1)));
  if (levels.length === 0) return;
  const shift = Math.max(0, 2 - Math.min(...levels));
  for (const token of headings) {
    token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + shift)}`;
  }
});

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'blockquote',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'strong',
    'em',
    'b',
    'i',
    's',
    'del',
    'sub',
    'sup',
    'code',
    'pre',
    'kbd',
    'abbr',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'details',
    'summary',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], abbr: ['title'], ol: ['start'], th: ['scope'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Drop these tags together with their content (their text is never meant to be read).
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'iframe',
    'object',
    'embed',
    'template',
    'svg',
  ],
  transformTags: {
    h1: 'h2', // raw-HTML h1 in a lesson, same reason as the heading shift above
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }),
  },
};

export function renderLessonMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source), SANITIZE_OPTIONS);
}

/** Word count of the Markdown body, for the reading-time estimate. */
export function countWords(source: string): number {
  return source.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

export interface FrontMatterSplit {
  /** YAML between the opening and closing `---` lines. */
  frontMatter: string;
  body: string;
  /** 1-based line of the first YAML line (the opening `---` is line 1). */
  frontMatterFirstLine: number;
}

/** Splits `---\n<yaml>\n---\n<markdown>`; undefined when the file has no front matter block. */
export function splitFrontMatter(text: string): FrontMatterSplit | undefined {
  const match = /^---[ \t]*\n([\s\S]*?\n)?---[ \t]*(?:\n|$)/.exec(text);
  if (!match) return undefined;
  return { frontMatter: match[1] ?? '', body: text.slice(match[0].length), frontMatterFirstLine: 2 };
}
