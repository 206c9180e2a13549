import { describe, expect, it } from 'vitest';
import { digestWeek, planReminders, REMINDER_DEFAULTS } from '../../../src/domain/reminders.js';

const s = REMINDER_DEFAULTS; // 7 days before, on the day, every 7 days overdue, manager after 14
const facts = { assignedAt: new Date('2026-03-02T09:00Z'), dueAt: new Date('2026-04-01T00:00Z') };
const plan = (state: Parameters<typeof planReminders>[1]['state'], at: string) =>
  planReminders(s, { ...facts, state }, new Date(at)).map(
    (r) => `${r.kind}:${r.day}${r.toManager ? ':manager' : ''}`,
  );

describe('planReminders', () => {
  it('plans each reminder on its day, keyed on that day', () => {
    expect(plan('not-started', '2026-03-02T10:00Z')).toEqual(['assigned:2026-03-02']);
    expect(plan('not-started', '2026-03-10T10:00Z')).toEqual([]);
    expect(plan('due-soon', '2026-03-25T00:00Z')).toEqual(['before-due:2026-03-25']);
    expect(plan('due-soon', '2026-04-01T23:59Z')).toEqual(['due-today:2026-04-01']);
    expect(plan('overdue', '2026-04-02T00:00Z')).toEqual(['overdue:2026-04-02']);
    expect(plan('overdue', '2026-04-05T00:00Z')).toEqual([]);
    expect(plan('overdue', '2026-04-09T00:00Z')).toEqual(['overdue:2026-04-09']);
    expect(plan('expired', '2026-04-16T00:00Z')).toEqual([
      'overdue:2026-04-16:manager',
      'escalation:2026-04-16:manager',
    ]);
    expect(plan('expired', '2026-06-04T00:00Z')).toEqual(['overdue:2026-06-04:manager']);
  });

  it('catches up a missed day, within the catch-up limit only', () => {
    expect(plan('due-soon', '2026-03-27T10:00Z')).toEqual(['before-due:2026-03-25']);
    expect(plan('due-soon', '2026-03-28T10:00Z')).toEqual([]);
  });

  it('sends nothing once completed', () => {
    expect(plan('completed', '2026-04-09T00:00Z')).toEqual([]);
  });

  it('without a due date, only the assignment notice', () => {
    expect(
      planReminders(
        s,
        { state: 'not-started', assignedAt: facts.assignedAt, dueAt: null },
        new Date('2026-03-03'),
      ),
    ).toHaveLength(1);
  });

  it('digests are keyed by the Monday of the UTC week', () => {
    expect(digestWeek(new Date('2026-03-01T23:00Z'))).toBe('2026-02-23'); // a Sunday
    expect(digestWeek(new Date('2026-03-02T00:00Z'))).toBe('2026-03-02'); // a Monday
  });
});
