import { formatDateTime as dateTime } from '../../domain/display-dates.js';

/** "2 March 2026 at 09:00 UTC", or null when there is no date. */
export function formatDateTime(date: Date | null | undefined): string | null {
  return date ? dateTime(date) : null;
}

/** "80 %" with at most one decimal. */
export function formatScore(score: number): string {
  return `${Number.isInteger(score) ? score : score.toFixed(1)} %`;
}

export const QUIZ_ASSETS = {
  styles: ['/static/css/posts.css', '/static/css/quiz.css'],
  scripts: ['/static/js/forms.js'],
};
