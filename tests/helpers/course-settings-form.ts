/**
 * HR's course settings form as a browser posts it: 12-month validity, a 30-day window, 14 days' grace,
 * reminders on assignment, before and on the due date, weekly when overdue, escalation after 14 days.
 * A switch left out (test-out, retired) is off, as an unticked box; `over` sets or adds fields.
 */
export const courseSettingsForm = (over: Record<string, string> = {}): Record<string, string> => ({
  validityMonths: '12',
  windowDays: '30',
  graceDays: '14',
  expiryBasis: 'completion',
  cycleKind: 'rolling',
  calendarMonth: '',
  calendarDay: '',
  onAssignment: 'yes',
  daysBeforeDue: '7',
  onDueDate: 'yes',
  overdueEveryDays: '7',
  escalateAfterDays: '14',
  ...over,
});
