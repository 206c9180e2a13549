import type MarkdownIt from 'markdown-it';

/**
 * Lesson sections (issue #23): a lesson is cut at its top-level `##` headings so a refresher can
 * show only the sections for the clauses a learner still has to study. A heading may name the
 * clauses its section teaches with a tag at its end:
 *
 *     ## Respect, always {clauses: SMP-04}
 *     ## For yourself, or for the company? {clauses: SMP-05, SMP-03}
 *
 * The tag is taken off the heading before anything is rendered, so it never shows on the page nor
 * in the section's id. `{clauses: …}` cannot be mistaken for a placeholder (`{{org.name}}`), which
 * has two braces and no colon. See courses/refreshers.md.
 */

/** ` {clauses: A, B}` at the very end of a heading line; ids separated by commas and/or spaces. */
const CLAUSE_TAG = /\s*\{\s*clauses\s*:([^{}]*)\}\s*$/;

export interface ClauseTag {
  /** The heading's text without the tag. */
  text: string;
  /** The clause ids as written (checked against policy.yaml by the lesson loader). */
  clauses: string[];
}

/** The heading's own text and its tag's clause ids, or undefined when it carries no tag. */
export function splitClauseTag(heading: string): ClauseTag | undefined {
  const match = CLAUSE_TAG.exec(heading);
  if (!match) return undefined;
  const clauses = match[1]!.split(/[\s,]+/).filter((id) => id !== '');
  return { text: heading.slice(0, match.index), clauses };
}

/** A Markdown heading line without its tag (for word counts and sentence checks). */
export function withoutClauseTag(line: string): string {
  return /^\s*#{1,6}\s/.test(line) ? line.replace(CLAUSE_TAG, '') : line;
}

/** What the plugin leaves on a heading_open token that had a tag. */
export interface HeadingMeta {
  clauseTag?: string[];
}

/**
 * markdown-it plugin: before inline parsing, a heading's tag is cut from its text and kept in the
 * heading_open token's `meta.clauseTag` (an empty tag is kept as []: the loader reports it).
 */
export function clauseTagPlugin(md: InstanceType<typeof MarkdownIt>): void {
  md.core.ruler.before('inline', 'clause_tags', (state) => {
    state.tokens.forEach((token, index) => {
      if (token.type !== 'heading_open') return;
      const inline = state.tokens[index + 1];
      if (inline?.type !== 'inline') return;
      const tag = splitClauseTag(inline.content);
      if (!tag) return;
      inline.content = tag.text;
      token.meta = { ...(token.meta as object | null), clauseTag: tag.clauses } satisfies HeadingMeta;
    });
  });
}

/**
 * A heading's slug: lower case, accents dropped, every run of other characters one hyphen
 * ("Clients, partners and colleagues" → "clients-partners-and-colleagues"). Unique in the lesson:
 * a repeat gets "-2", "-3"… `taken` holds the slugs given so far.
 */
export function headingSlug(text: string, taken: Set<string>): string {
  const base =
    text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '') || 'section';
  let slug = base;
  for (let n = 2; taken.has(slug); n += 1) slug = `${base}-${n}`;
  taken.add(slug);
  return slug;
}
