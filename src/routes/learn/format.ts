import type { Course } from '../../domain/course.js';
import { formatDay } from '../../domain/display-dates.js';
import type { CycleState } from '../../domain/recertification.js';
import { STATE_LABELS } from '../../domain/state-labels.js';

/** "2 March 2026", or null when there is no date. */
export function formatDate(date: Date | null | undefined): string | null {
  return date ? formatDay(date) : null;
}

/**
 * The day a learner's completion counts from, while it is still the current state ("Completed"):
 * pages then show it, and the expiry, instead of a due date. Null in every other state, including
 * an open refresher window, where the due date is what matters.
 */
export function completedOn(assignment: { state: string; completedAt: Date | null } | null): string | null {
  return assignment?.state === 'completed' ? formatDate(assignment.completedAt) : null;
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

/** Every cycle state by its one label (domain/state-labels.ts), plus two states only learners' badges name. */
const STATES: Record<string, { label: string; tone: Tone }> = {
  ...Object.fromEntries(
    Object.entries(TONES).map(([state, tone]) => [state, { label: STATE_LABELS[state as CycleState], tone }]),
  ),
  due: { label: 'Due', tone: 'warn' },
  'window-open': { label: 'Refresher open', tone: 'warn' },
};

/**
 * Badge text and tone for an assignment state; unknown states are shown humanised rather than hidden.
 * `started` covers the moment between a learner's first action and the summary write that follows it.
 */
export function stateBadge(state: string | null, started = false): { label: string; tone: string } {
  if (!state) return started ? STATES['in-progress']! : { label: 'Available', tone: 'neutral' };
  if (state === 'not-started' && started) return STATES['in-progress']!;
  const known = STATES[state];
  if (known) return known;
  const label = state.replace(/[-_]+/g, ' ');
  return { label: label.charAt(0).toUpperCase() + label.slice(1), tone: 'neutral' };
}

/** Clause ids to `{ id, number, title, summary }` in the order given (ids were checked at load). */
export function clauseList(course: Course, ids: readonly string[]) {
  return ids
    .map((id) => course.clauses.find((c) => c.id === id))
    .filter((c) => c !== undefined)
    .map((c) => ({ id: c.id, number: c.number, title: c.title, summary: c.summary }));
}

/** Pages of the learner area share these assets (the layout links them). */
export const LEARN_ASSETS = {
  styles: ['/static/css/learn.css', '/static/css/posts.css'],
  scripts: ['/static/js/forms.js', '/static/js/learn.js'],
};
