import MarkdownIt from 'markdown-it';
import container from 'markdown-it-container';
import sanitizeHtml from 'sanitize-html';
import type { ContentIssue } from './issues.js';
import { type LessonLabels, SOURCE_LESSON_LABELS } from './lesson-labels.js';
import { clauseTagPlugin, type HeadingMeta, headingSlug, withoutClauseTag } from './lesson-sections.js';
import { NOTICE_INFO, noticeCodes, renderNotice } from './notice-blocks.js';
import { parseScenario } from './scenario.js';
import { renderScenario, type ScenarioText } from './scenario-html.js';

/**
 * Lesson Markdown → safe HTML, done once at load. Authors may use a little inline HTML (e.g.
 * <kbd>, <details>), so markdown-it passes HTML through and sanitize-html is the real gate: a strict
 * allow-list of tags and attributes, and only http, https and mailto links. Anything else
 * (script, style, iframe, event handlers, javascript: URLs, images) is dropped.
 */

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

const markdown = new MarkdownIt({ html: true, linkify: true, typographer: true });
// markdown-it would leave a `[text](javascript:…)` link as literal source text. Let every link
// through instead: sanitize-html below drops any href that isn't http, https or mailto, so the
// reader sees just the link text, and one place decides what a safe URL is.
markdown.validateLink = () => true;
// `::: notice us uk` … `:::` marks a lesson section for some jurisdictions (notice-blocks.ts).
markdown.use(container, NOTICE_INFO);
// `## Heading {clauses: SMP-04}` names the clauses of the section it starts (lesson-sections.ts).
markdown.use(clauseTagPlugin);

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

const sanitize = (html: string) => sanitizeHtml(html, SANITIZE_OPTIONS);

/** Scenario fields go through the same Markdown and sanitiser as the rest of the lesson. */
const scenarioText = (labels: LessonLabels): ScenarioText => ({
  block: (source) => sanitize(markdown.render(source)),
  inline: (source) => sanitize(markdown.renderInline(source)),
  escape: (text) => markdown.utils.escapeHtml(text),
  labels,
});

/** Where a lesson body comes from, so a scenario block's problems name the file and line. */
export interface LessonRenderContext {
  file: string;
  /** File line of the body's first line. */
  firstLine: number;
  lessonId: string;
  issues: ContentIssue[];
  /** The words we add around scenarios and notice blocks, in the course's language (default: the source's). */
  labels?: LessonLabels;
}

const SCENARIO_INFO = 'scenario';

/** One section of a rendered lesson (a top-level `##` heading and what follows, up to the next). */
export interface RenderedSection {
  /** Slug of the heading, unique in the lesson; '' for the text before the first heading. */
  id: string;
  /** The heading's plain text, its clause tag taken off; '' for the text before the first heading. */
  heading: string;
  /** The clause ids of the heading's tag as written, or undefined when it has none. */
  tag?: string[];
  /** File line of the heading (of the body's first line for the text before it). */
  line: number;
  html: string;
}

/**
 * Lesson Markdown → sanitised HTML. A top-level ```scenario fence becomes a branching scenario
 * (scenario.ts, scenario-html.ts): the Markdown around it is rendered and sanitised in pieces, and
 * the scenario's own markup (ids, classes the sanitiser would strip from authors) is built by us
 * around its sanitised text. Problems in a block are pushed to `context.issues`.
 */
export function renderLessonMarkdown(
  source: string,
  context: LessonRenderContext = { file: 'lesson.md', firstLine: 1, lessonId: 'lesson', issues: [] },
): string {
  return renderLessonSections(source, context)
    .map((s) => s.html)
    .join('');
}

/**
 * The same HTML cut into sections at the lesson's top headings (`##`, or whatever level becomes h2)
 * that stand outside any block: a heading inside a notice block, a quote or a list never starts a
 * section, and a scenario is one token, so no cut falls inside either. Joining the sections' HTML
 * gives the lesson's HTML: each piece is rendered and sanitised on its own, as before, only the
 * places where pieces start now also include those headings.
 */
export function renderLessonSections(
  source: string,
  context: LessonRenderContext = { file: 'lesson.md', firstLine: 1, lessonId: 'lesson', issues: [] },
): RenderedSection[] {
  const tokens = markdown.parse(source, {});
  const lines = source.split('\n');
  const labels = context.labels ?? SOURCE_LESSON_LABELS;
  const sections: RenderedSection[] = [{ id: '', heading: '', line: context.firstLine, html: '' }];
  const slugs = new Set<string>();
  const ids = new Set<string>();
  let start = 0;
  let headingLevel = 1;
  let notice: { codes: string[] } | null = null;
  const render = (from: number, to: number) =>
    sanitize(markdown.renderer.render(tokens.slice(from, to), markdown.options, {}));
  const emit = (html: string) => {
    sections[sections.length - 1]!.html += html;
  };
  const flush = (end: number) => {
    if (end > start) emit(render(start, end));
  };
  const issue = (line: number, message: string) =>
    context.issues.push({ file: context.file, line, field: '', message });
  const lineOf = (token: Token) => context.firstLine + (token.map?.[0] ?? 0);
  tokens.forEach((token, index) => {
    if (token.type === 'heading_open') {
      headingLevel = Number(token.tag.slice(1));
      const tag = (token.meta as HeadingMeta | null)?.clauseTag;
      if (token.level === 0 && token.tag === 'h2') {
        flush(index);
        start = index;
        const heading = plainText(tokens[index + 1]);
        sections.push({ id: headingSlug(heading, slugs), heading, tag, line: lineOf(token), html: '' });
      } else if (tag) {
        issue(lineOf(token), 'a {clauses: …} tag belongs on a top-level ## heading, where a section starts');
      }
    }
    if (token.type === `container_${NOTICE_INFO}_open`) {
      if (token.level > 0) {
        issue(lineOf(token), 'a notice block cannot sit inside another block');
        return;
      }
      flush(index);
      start = index + 1;
      notice = { codes: noticeCodes(token, lines, lineOf(token), issue) };
      return;
    }
    if (token.type === `container_${NOTICE_INFO}_close` && token.level === 0 && notice) {
      emit(renderNotice(notice.codes, render(start, index), { labels, escape: markdown.utils.escapeHtml }));
      start = index + 1;
      notice = null;
      return;
    }
    if (token.type !== 'fence' || token.info.trim() !== SCENARIO_INFO) return;
    const line = lineOf(token);
    if (token.level > 0) {
      issue(line, 'a scenario block must stand on its own, not inside a list, a quote or a notice');
      return;
    }
    flush(index);
    start = index + 1;
    const scenario = parseScenario(token.content, context.file, line + 1, context.issues);
    if (!scenario) return;
    if (ids.has(scenario.id)) {
      issue(line, `duplicate scenario id "${scenario.id}" in this lesson`);
      return;
    }
    ids.add(scenario.id);
    emit(
      renderScenario(scenario, { lessonId: context.lessonId, level: headingLevel + 1 }, scenarioText(labels)),
    );
  });
  flush(tokens.length);
  // The text before the first heading is a section only when there is some.
  return sections[0]!.html === '' ? sections.slice(1) : sections;
}

/** A heading's text as a reader sees it, without Markdown marks or HTML. */
function plainText(inline: Token | undefined): string {
  const parts = (inline?.children ?? []).map((child) => {
    if (child.type === 'text' || child.type === 'code_inline') return child.content;
    if (child.type === 'softbreak' || child.type === 'hardbreak') return ' ';
    return '';
  });
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** A top-level ```scenario fence, from its opening line to its closing one. */
const SCENARIO_FENCE = /^```scenario[ \t]*\n[\s\S]*?^```[ \t]*$/gm;

/**
 * Word count of the Markdown body's reading text, for the reading-time estimate. Scenario blocks
 * are left out: they are practice the learner steps through (opening a few consequences, like the
 * example posts), not text read from top to bottom, and their YAML keys are not words at all.
 */
export function countWords(source: string): number {
  return source
    .replace(SCENARIO_FENCE, ' ')
    .split('\n')
    .map(withoutClauseTag)
    .join('\n')
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

export interface FrontMatterSplit {
  /** YAML between the opening and closing `---` lines. */
  frontMatter: string;
  body: string;
  /** 1-based line of the first YAML line (the opening `---` is line 1). */
  frontMatterFirstLine: number;
  /** 1-based line of the body's first line. */
  bodyFirstLine: number;
}

/** Splits `---\n<yaml>\n---\n<markdown>`; undefined when the file has no front matter block. */
export function splitFrontMatter(text: string): FrontMatterSplit | undefined {
  const match = /^---[ \t]*\n([\s\S]*?\n)?---[ \t]*(?:\n|$)/.exec(text);
  if (!match) return undefined;
  const bodyFirstLine = match[0].split('\n').length;
  return {
    frontMatter: match[1] ?? '',
    body: text.slice(match[0].length),
    frontMatterFirstLine: 2,
    bodyFirstLine,
  };
}
