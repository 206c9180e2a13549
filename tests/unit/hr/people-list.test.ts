import { describe, expect, it } from 'vitest';
import {
  bulkCourseChoices,
  bulkOutcome,
  parseBulkForm,
  reminderKindFor,
} from '../../../src/domain/people/bulk.js';
import {
  comparePeople,
  filterQuery,
  filtersFrom,
  type ListedPerson,
  NO_FILTERS,
  trainingCell,
  trainingMatches,
} from '../../../src/domain/people/list-filters.js';
import { translator } from '../../../src/i18n/translator.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const course = { courseExists: (id: string) => id === 'c1', now: NOW };

describe('people list filters', () => {
  it('reads a query and writes it back without defaults, keeping the filters on page links', () => {
    const f = filtersFrom({ department: 'Sales', state: 'overdue', active: 'yes', sort: 'due' });
    expect(filterQuery(f, { page: 2 })).toBe('department=Sales&state=overdue&active=yes&sort=due&page=2');
    expect(filterQuery(NO_FILTERS, { page: 1 })).toBe('');
    expect(filtersFrom({ state: 'lost', active: 'maybe', sort: 'x' })).toEqual(NO_FILTERS);
  });

  it('matches a state only on active assignments of the course asked', () => {
    const own = [
      { userId: 'u', courseId: 'c1', state: 'overdue', dueAt: null, expiresAt: null, active: false },
      { userId: 'u', courseId: 'c2', state: 'overdue', dueAt: null, expiresAt: null, active: true },
    ];
    expect(trainingMatches({ ...NO_FILTERS, state: 'overdue' }, own)).toBe(true);
    expect(trainingMatches({ ...NO_FILTERS, state: 'overdue', course: 'c1' }, own)).toBe(false);
  });

  it('says each state with its date', () => {
    const at = (state: string, extra = {}) =>
      trainingCell({ state, dueAt: new Date('2026-02-15'), expiresAt: null, active: true, ...extra }).label;
    expect(at('overdue')).toBe('Overdue, due 15 February 2026');
    expect(at('completed', { expiresAt: new Date('2027-02-01') })).toBe('Completed until 1 February 2027');
    expect(trainingCell(null).label).toBe('Not assigned');
  });

  it('sorts by earliest due date, people without one last, ties by name', () => {
    const p = (name: string): ListedPerson => ({
      _id: name,
      name,
      email: '',
      department: '',
      managerId: null,
      role: 'employee',
      active: true,
    });
    const due: Record<string, number> = { b: 1, c: 1 };
    const sorted = [p('a'), p('c'), p('b')].sort(comparePeople('due', (id) => due[id] ?? Infinity));
    expect(sorted.map((x) => x.name)).toEqual(['b', 'c', 'a']);
  });
});

const en = translator('en');

describe('bulk action forms', () => {
  it('asks assign for a course and a due day not in the past, extend also for a reason', () => {
    expect(parseBulkForm('assign', { dueDate: '2026-03-01' }, course)).toEqual({
      errors: [
        { field: 'courseId', message: 'people.bulk.errors.course' },
        { field: 'dueDate', message: 'people.bulk.errors.duePast' },
      ],
    });
    expect(parseBulkForm('extend', { courseId: 'c1', dueDate: '2026-04-01', reason: ' ' }, course)).toEqual({
      errors: [{ field: 'reason', message: 'people.bulk.errors.reason' }],
    });
    expect(parseBulkForm('remind', {}, course)).toEqual({
      params: { courseId: null, dueAt: null, reason: '' },
    });
  });

  it('reminds by state, never a completed one, and words the outcome', () => {
    expect(reminderKindFor('overdue')).toBe('overdue');
    expect(reminderKindFor('due-soon')).toBe('before-due');
    expect(reminderKindFor('completed')).toBeNull();
    const due = new Date('2026-03-02T00:00:00Z');
    expect(reminderKindFor('due-soon', due, new Date('2026-03-02T17:00:00Z'))).toBe('due-today');
    expect(reminderKindFor('due-soon', due, new Date('2026-03-01T17:00:00Z'))).toBe('before-due');
    expect(bulkOutcome('remind', 3, 1, en)).toBe(
      '3 reminded; 1 already reminded today or with nothing to remind',
    );
  });

  it('offers remind every open course by default, with the counts', () => {
    const items = bulkCourseChoices(
      'remind',
      [{ id: 'c1', title: 'Course', assigned: 5, open: 4 }],
      undefined,
      en,
    );
    expect(items.map((i) => [i.value, i.checked, i.hint])).toEqual([
      ['', true, '4 open assignments'],
      ['c1', false, '4 people with it still open'],
    ]);
  });
});
