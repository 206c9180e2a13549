import type { Course, Lesson } from '../../domain/course.js';
import type { CycleState } from '../../domain/recertification.js';
import type { Translator } from '../../i18n/translator.js';

/** "2 March 2026" ("2 de marzo de 2026"…) in the page's language, or null when there is no date. */
export function formatDate(date: Date | null | undefined, i18n: Translator): string | null {
  return date ? i18n.day(date) : null;
}

/**
 * The day a learner's completion counts from, while it is still the current state ("Completed"):
 * pages then show it, and the expiry, instead of a due date. Null in every other state, including
 * an open refresher window, where the due date is what matters.
 */
export function completedOn(
  assignment: { state: string; completedAt: Date | null } | null,
  i18n: Translator,
): string | null {
  return assignment?.state === 'completed' ? formatDate(assignment.completedAt, i18n) : null;
}

type Tone = 'ok' | 'bad' | 'warn' | 'neutral';

const TONES: Record<CycleState, Tone> = {
  'not-started': 'neutral',
  'in-progress': 'warn',
  'due-soon': 'warn',
  overdue: 'bad',
  expired: 'bad',
  completed: 'ok',
};

/**
 * The tone of every cycle state, plus two states only learners' badges name. Each is called
 * learn.state.<state> in the catalogue (the same English words as domain/state-labels.ts).
 */
const STATES: Record<string, Tone> = { ...TONES, due: 'warn', 'window-open': 'warn' };

/**
 * Badge text and tone for an assignment state; unknown states are shown humanised rather than hidden.
 * `started` covers the moment between a learner's first action and the summary write that follows it.
 */
export function stateBadge(
  state: string | null,
  started: boolean,
  i18n: Translator,
): { label: string; tone: string } {
  const shown =
    !state || (state === 'not-started' && started) ? (started ? 'in-progress' : 'available') : state;
  if (shown === 'available') return { label: i18n.t('learn.state.available'), tone: 'neutral' };
  const tone = STATES[shown];
  if (tone) return { label: i18n.t(`learn.state.${shown}`), tone };
  const label = shown.replace(/[-_]+/g, ' ');
  return { label: label.charAt(0).toUpperCase() + label.slice(1), tone: 'neutral' };
}

/** Clause ids to `{ id, number, title, summary }` in the order given (ids were checked at load). */
export function clauseList(course: Course, ids: readonly string[]) {
  return ids
    .map((id) => course.clauses.find((c) => c.id === id))
    .filter((c) => c !== undefined)
    .map((c) => ({ id: c.id, number: c.number, title: c.title, summary: c.summary }));
}

/**
 * The lesson as views/learn/lesson.eta shows it: the learner's lesson page and HR's translation preview.
 * `html` replaces the lesson's own (a study path's sections); `wholeHref` offers the whole lesson then.
 */
export function lessonView(
  course: Course,
  lesson: Lesson,
  page: { html?: string; wholeHref: string | null; action: string },
) {
  return {
    id: lesson.id,
    title: lesson.title,
    objectives: lesson.objectives,
    minutes: lesson.minutes ?? null,
    html: page.html ?? lesson.html,
    clauses: clauseList(course, lesson.clauses),
    wholeHref: page.wholeHref,
    action: page.action,
  };
}

/** Pages of the learner area share these assets (the layout links them). */
export const LEARN_ASSETS = {
  styles: ['/static/css/learn.css', '/static/css/posts.css'],
  scripts: ['/static/js/forms.js', '/static/js/learn.js'],
};
