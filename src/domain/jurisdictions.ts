import type { Clause, Course, Lesson, Question } from './course.js';
import { type KeyWords, keyWords, type ListWords } from './i18n/words.js';
import { REGIONS, type Region } from './org-profile.js';

/**
 * Jurisdiction notices: course files mark a lesson section (`::: notice us uk`), a clause paragraph
 * (`notices:` in policy.yaml) or a question (`jurisdictions:` in quiz.yaml) as applying in some
 * jurisdictions, coded as the organisation profile's REGIONS. Which of them a learner sees:
 *
 * - the regions the profile enables, or every region while the profile names none (a new install
 *   shows every notice rather than none);
 * - narrowed to the person's own region when their record has one (HR's person form or the CSV
 *   `region` column, which accept only regions the profile enables). A person whose region the
 *   profile no longer enables sees the enabled regions' notices, as if they had none.
 *
 * A SCORM package has no person: it carries the notices of every region the profile enables.
 */

const isRegion = (code: string): code is Region => (REGIONS as readonly string[]).includes(code);

/** In REGIONS order, without repeats, so equal sets have equal keys. */
function ordered(codes: Iterable<string>): Region[] {
  const set = new Set(codes);
  return REGIONS.filter((r) => set.has(r));
}

/** The regions whose notices an organisation shows: the profile's, or all of them while it names none. */
export function enabledJurisdictions(profileRegions: readonly Region[]): Region[] {
  return profileRegions.length > 0 ? ordered(profileRegions) : [...REGIONS];
}

/** The jurisdictions one learner is shown notices for (see the file comment). */
export function learnerJurisdictions(
  profileRegions: readonly Region[],
  personRegion: string | null | undefined,
): Region[] {
  const enabled = enabledJurisdictions(profileRegions);
  if (!personRegion || !isRegion(personRegion)) return enabled;
  const own = enabled.filter((r) => r === personRegion);
  // HR's form and the import accept only enabled regions; one the profile stopped enabling later
  // would leave no notice at all, so the person sees the enabled regions' notices instead.
  return own.length > 0 ? own : enabled;
}

/** Whether something marked for `marked` (absent or empty: everyone) is shown to a learner in `shown`. */
export function appliesTo(marked: readonly string[] | undefined, shown: readonly Region[]): boolean {
  return !marked || marked.length === 0 || marked.some((code) => (shown as readonly string[]).includes(code));
}

/** A region's name as the end of "for staff in …" (`course.notice.region.*`), for the page to word. */
export const regionWords = (code: Region): KeyWords => keyWords(`course.notice.region.${code}`);

/**
 * Who a notice is for, "the United States and the United Kingdom" ("or" for a choice), as words the
 * page puts in its own language (domain/i18n/words.ts).
 */
export function jurisdictionWords(codes: readonly string[], join: 'and' | 'or' = 'and'): ListWords {
  return { list: ordered(codes).map(regionWords), join };
}

// ------------------------------------------------------------------------- lesson notice markers

/** The comment that opens a lesson notice section in `Lesson.html` (the sanitiser drops authors' comments). */
export const noticeOpenMarker = (codes: readonly string[]) => `<!--notice:${ordered(codes).join(',')}-->`;
export const NOTICE_CLOSE_MARKER = '<!--/notice-->';
const NOTICE_SECTION = /<!--notice:([a-z,]*)-->[\s\S]*?<!--\/notice-->/g;

/** A lesson's HTML with only the notice sections for `shown` (everything else is kept as it is). */
export function lessonHtmlFor(html: string, shown: readonly Region[]): string {
  return html.replace(NOTICE_SECTION, (section, codes: string) =>
    appliesTo(codes.split(','), shown) ? section : '',
  );
}

/** The jurisdictions any notice section of a lesson is marked for. */
export function lessonNoticeJurisdictions(html: string): Region[] {
  return ordered([...html.matchAll(NOTICE_SECTION)].flatMap((m) => m[1]!.split(',')));
}

// ------------------------------------------------------------------------- a course for a set

/** A clause with only the notices shown in `shown` (no `notices` field when none is). */
export function clauseFor(clause: Clause, shown: readonly Region[]): Clause {
  if (!clause.notices) return clause;
  const { notices, ...rest } = clause;
  const kept = notices.filter((n) => appliesTo(n.jurisdictions, shown));
  return kept.length > 0 ? { ...rest, notices: kept } : rest;
}

const lessonFor = (lesson: Lesson, shown: readonly Region[]): Lesson => {
  const html = lessonHtmlFor(lesson.html, shown);
  if (html === lesson.html) return lesson;
  // The sections too: a refresher shows some of them, and they hold the same notice sections.
  const sections = lesson.sections.map((s) => ({ ...s, html: lessonHtmlFor(s.html, shown) }));
  return { ...lesson, html, sections };
};

/** The questions any learner can be drawn, whatever their jurisdiction (what the course checks count). */
export function everyoneQuestions(questions: readonly Question[]): Question[] {
  return questions.filter((q) => !q.jurisdictions || q.jurisdictions.length === 0);
}

const cache = new WeakMap<Course, Map<string, Course>>();

/**
 * The course as a learner in `shown` sees it: lesson notice sections, clause notices and questions
 * for other jurisdictions left out, everything else the same objects. Memoised per course object
 * and set, so a page costs a map lookup (a re-resolved course is a new object, a new entry).
 */
export function courseForJurisdictions(course: Course, shown: readonly Region[]): Course {
  const set = ordered(shown);
  const key = set.join(',');
  let byKey = cache.get(course);
  if (!byKey) {
    byKey = new Map();
    cache.set(course, byKey);
  }
  const hit = byKey.get(key);
  if (hit) return hit;
  const narrowed: Course = {
    ...course,
    lessons: course.lessons.map((l) => lessonFor(l, set)),
    clauses: course.clauses.map((c) => clauseFor(c, set)),
    questions: course.questions.filter((q) => appliesTo(q.jurisdictions, set)),
  };
  byKey.set(key, narrowed);
  return narrowed;
}

/** The course with only the questions every learner can be drawn (the course checks' view). */
export function courseForEveryone(course: Course): Course {
  return { ...course, questions: everyoneQuestions(course.questions) };
}
