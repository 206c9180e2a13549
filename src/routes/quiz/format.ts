import type { Translator } from '../../i18n/translator.js';

/** "2 March 2026 at 09:00 UTC" in the page's language, or null when there is no date. */
export function formatDateTime(date: Date | null | undefined, i18n: Translator): string | null {
  return date ? i18n.dateTime(date) : null;
}

/** "80 %" with at most one decimal. */
export function formatScore(score: number): string {
  return `${Number.isInteger(score) ? score : score.toFixed(1)} %`;
}

export const QUIZ_ASSETS = {
  styles: ['/static/css/posts.css', '/static/css/quiz.css'],
  scripts: ['/static/js/forms.js'],
};
