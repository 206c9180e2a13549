const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

/** "2 March 2026 at 09:00 UTC": one time zone, so every server renders the same text. */
export function formatDateTime(date: Date | null | undefined): string | null {
  return date ? `${DATE_TIME.format(new Date(date))} UTC` : null;
}

/** "80 %" with at most one decimal. */
export function formatScore(score: number): string {
  return `${Number.isInteger(score) ? score : score.toFixed(1)} %`;
}

export const QUIZ_ASSETS = {
  styles: ['/static/css/posts.css', '/static/css/quiz.css'],
  scripts: ['/static/js/forms.js'],
};
