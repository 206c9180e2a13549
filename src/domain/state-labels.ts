import type { CycleState } from './recertification.js';

/**
 * What each assignment state is called on every page (dashboard, team, employee history, the
 * learner's badges): one definition, so a state never reads two ways.
 */
export const STATE_LABELS: Record<CycleState, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  completed: 'Completed',
  'due-soon': 'Due soon',
  overdue: 'Overdue',
  expired: 'Expired',
};
