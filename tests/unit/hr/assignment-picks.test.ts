import { describe, expect, it } from 'vitest';
import { parseExtendForm, parseRuleForm, type RuleForm } from '../../../src/domain/assignment-rules.js';

import { worded } from '../../helpers/worded.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const FORM: RuleForm = {
  courseId: 'social-media-policy',
  targetKind: 'departments',
  dueKind: 'after-assignment',
  dueDate: '',
  dueDays: '30',
  newHireWithinDays: '',
};
const facts = { courseExists: true, userIdOf: (e: string) => `id:${e}`, now: NOW };
const targetOf = (form: RuleForm) => {
  const parsed = parseRuleForm(form, facts);
  return 'rule' in parsed ? parsed.rule.target : parsed.errors;
};

/** Issue #28: the form sends ticked checkboxes (absent, one value or several), not typed lists. */
describe('picked departments and people', () => {
  it('keeps each ticked department whole, even with a comma in its name', () => {
    expect(targetOf({ ...FORM, department: ['Sales, EMEA', 'Support'] })).toEqual({
      kind: 'departments',
      departments: ['Sales, EMEA', 'Support'],
    });
    expect(targetOf({ ...FORM, department: 'Sales, EMEA' })).toEqual({
      kind: 'departments',
      departments: ['Sales, EMEA'],
    });
  });

  it('still reads typed departments, and joins them with the ticked ones once each', () => {
    expect(targetOf({ ...FORM, department: 'Sales', departments: 'Sales,\nLegal' })).toEqual({
      kind: 'departments',
      departments: ['Sales', 'Legal'],
    });
  });

  it('asks for a department when none is ticked, with the same message', () => {
    expect(worded(targetOf(FORM))).toEqual([
      { field: 'departments', message: 'Enter at least one department.' },
    ]);
  });

  it('reads the ticked people, and asks for one when none is ticked', () => {
    const people = { ...FORM, targetKind: 'individuals' as const };
    expect(targetOf({ ...people, emails: ['A@x.test', 'b@x.test', 'a@x.test'] })).toEqual({
      kind: 'individuals',
      userIds: ['id:a@x.test', 'id:b@x.test'],
    });
    expect(worded(targetOf(people))).toEqual([
      { field: 'emails', message: 'Enter between 1 and 500 email addresses.' },
    ]);
  });

  it('reads an extension with nobody picked as "nobody has that address"', () => {
    expect(worded(parseExtendForm({ courseId: 'c', dueDate: '2026-04-01', reason: 'Leave' }, null))).toEqual({
      errors: [{ field: 'extend-email', message: 'Nobody has that email address.' }],
    });
  });
});
