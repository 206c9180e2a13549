import { describe, expect, it } from 'vitest';
import {
  parseExtendForm,
  parseRuleForm,
  type RuleForm,
  ruleFormEmails,
  ruleProblems,
} from '../../../src/domain/assignment-rules.js';
import { parseRenewalForm, parseSettingsForm } from '../../../src/domain/course-settings.js';

import { worded } from '../../helpers/worded.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const FORM: RuleForm = {
  courseId: 'social-media-policy',
  targetKind: 'everyone',
  emails: '',
  departments: '',
  dueKind: 'after-assignment',
  dueDate: '',
  dueDays: '30',
  newHireWithinDays: '',
};
const facts = { courseExists: true, userIdOf: () => undefined, now: NOW };

describe('the assignment rule form', () => {
  it('reads a valid form into a rule', () => {
    expect(
      parseRuleForm({ ...FORM, targetKind: 'departments', departments: 'Sales,\nSupport, Sales' }, facts),
    ).toEqual({
      rule: {
        courseId: 'social-media-policy',
        target: { kind: 'departments', departments: ['Sales', 'Support'] },
        due: { kind: 'after-assignment', days: 30 },
        newHireWithinDays: null,
      },
    });
  });

  it('names every field error at once, in form order', () => {
    const parsed = parseRuleForm(
      { ...FORM, targetKind: 'departments', dueKind: 'fixed', dueDate: '2026-02-30', newHireWithinDays: 'x' },
      { ...facts, courseExists: false },
    );
    expect(worded(parsed)).toEqual({
      errors: [
        { field: 'courseId', message: 'Choose a course.' },
        { field: 'departments', message: 'Enter at least one department.' },
        { field: 'dueDate', message: 'Enter the due date as YYYY-MM-DD.' },
        { field: 'newHireWithinDays', message: 'Enter a number of days, or leave it empty.' },
      ],
    });
  });

  it('names people by the e-mails it was given ids for, and lists the unknown ones', () => {
    const form = { ...FORM, targetKind: 'individuals' as const, emails: 'A@x.test; b@x.test a@x.test' };
    expect(ruleFormEmails(form)).toEqual(['a@x.test', 'b@x.test']);
    const ids = new Map([['a@x.test', 'u1']]);
    expect(worded(parseRuleForm(form, { ...facts, userIdOf: (e) => ids.get(e) }))).toEqual({
      errors: [{ field: 'emails', message: 'Nobody has these email addresses: b@x.test.' }],
    });
    expect(
      parseRuleForm({ ...form, emails: 'a@x.test' }, { ...facts, userIdOf: (e) => ids.get(e) }),
    ).toMatchObject({
      rule: { target: { kind: 'individuals', userIds: ['u1'] } },
    });
  });

  it('refuses a fixed due date in the past, the same check createRule makes', () => {
    const form = { ...FORM, dueKind: 'fixed' as const, dueDate: '2026-03-01' };
    const problem = { field: 'dueDate', message: 'A fixed due date cannot be in the past.' };
    expect(worded(parseRuleForm(form, facts))).toEqual({ errors: [problem] });
    const rule = {
      courseId: 'c',
      target: { kind: 'everyone' as const },
      due: { kind: 'fixed' as const, date: new Date('2026-03-01') },
      newHireWithinDays: null,
    };
    expect(worded(ruleProblems(rule, { courseExists: true, now: NOW }))).toEqual([problem]);
    expect(parseRuleForm({ ...form, dueDate: '2026-03-02' }, facts)).toHaveProperty('rule');
  });
});

describe('the extension form', () => {
  const form = { email: 'a@x.test', courseId: 'c', dueDate: '2026-04-01', reason: ' Leave ' };
  it('reads a person, a day and a trimmed reason', () => {
    expect(parseExtendForm(form, 'u1')).toEqual({
      extension: { userId: 'u1', courseId: 'c', dueAt: new Date('2026-04-01T00:00:00Z'), reason: 'Leave' },
    });
  });
  it('lists what is missing', () => {
    expect(worded(parseExtendForm({ ...form, dueDate: 'soon', reason: ' ' }, null))).toEqual({
      errors: [
        { field: 'extend-email', message: 'Nobody has that email address.' },
        { field: 'extend-dueDate', message: 'Enter the new due date as YYYY-MM-DD.' },
        { field: 'extend-reason', message: 'Give a reason; it is kept in the audit log.' },
      ],
    });
  });
});

describe('the course settings forms', () => {
  const settings = {
    validityMonths: '12',
    windowDays: '30',
    graceDays: '14',
    expiryBasis: 'completion' as const,
    cycleKind: 'calendar' as const,
    calendarMonth: '2',
    calendarDay: '30',
    daysBeforeDue: '7',
    onDueDate: 'yes' as const,
    overdueEveryDays: '7',
    escalateAfterDays: '400',
  };
  it('keeps what was typed and names each bad field', () => {
    const { settings: read, errors } = parseSettingsForm(settings);
    expect(read).toMatchObject({
      calendarMonth: 2,
      calendarDay: 30,
      reminders: { onAssignment: false, onDueDate: true },
    });
    expect(worded(errors)).toEqual([
      { field: 'calendarDay', message: 'That month has no such day.' },
      { field: 'escalateAfterDays', message: 'Escalation must be a whole number from 0 to 365.' },
    ]);
  });
  it('asks for a renewal day today or later, and a reason', () => {
    expect(worded(parseRenewalForm({ requirement: 'full', dueDate: '2026-03-01', reason: '' }, NOW))).toEqual(
      {
        errors: [
          { field: 'renewal-dueDate', message: 'Enter a due date (YYYY-MM-DD) that is today or later.' },
          { field: 'renewal-reason', message: 'Say what changed; it is kept in the audit log.' },
        ],
      },
    );
    expect(
      parseRenewalForm({ requirement: 'full', dueDate: '2026-03-02', reason: ' New clause ' }, NOW),
    ).toEqual({
      renewal: { requirement: 'full', dueAt: new Date('2026-03-02T00:00:00Z'), reason: 'New clause' },
    });
  });
});
