import type { CycleState } from './recertification.js';

/**
 * What each assignment state is called on every page (dashboard, team, employee history, the
 * learner's badges): one definition, so a state never reads two ways. The pages show the catalogue
 * message `STATE_LABEL_KEYS[state]` (src/i18n/messages/<lang>/states.json) in the reader's
 * language; the English names below are those messages' source text, kept for English-only
 * outputs.
 */
export const STATE_LABELS: Record<CycleState, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  completed: 'Completed',
  'due-soon': 'Due soon',
  overdue: 'Overdue',
  expired: 'Expired',
};

export const STATE_LABEL_KEYS: Record<CycleState, string> = {
  'not-started': 'states.notStarted',
  'in-progress': 'states.inProgress',
  completed: 'states.completed',
  'due-soon': 'states.dueSoon',
  overdue: 'states.overdue',
  expired: 'states.expired',
};

/** A message lookup (the page's translator's `t`), so the domain needs no i18n library. */
export type Translate = (key: string, values?: Record<string, string | number | Date>) => string;

/** Every state's name in the reader's language. */
export const stateLabels = (t: Translate): Record<CycleState, string> =>
  Object.fromEntries(Object.entries(STATE_LABEL_KEYS).map(([state, key]) => [state, t(key)])) as Record<
    CycleState,
    string
  >;
