// Dates are shown in UTC everywhere (pages, certificates, e-mails, evidence), so every server
// renders the same text and a record reads the same for a learner, HR and an auditor.
const DAY = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

/** "2 March 2026". */
export function formatDay(date: Date | string): string {
  return DAY.format(new Date(date));
}

/** "2 March 2026 at 09:00 UTC". */
export function formatDateTime(date: Date | string): string {
  return `${DATE_TIME.format(new Date(date))} UTC`;
}
